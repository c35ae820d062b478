/**
 * Which services an alert is about, so its runbook can give their commands: the services whose
 * metrics the expression selects (through recording rules too, with Prometheus's grammar via
 * @kiln/promql), plus those a `job` matcher names (Kiln's scrape jobs are service names). An SLO's
 * alerts concern the SLO's service. When nothing points at a service (only platform metrics, no
 * job), the runbook covers every service of the alert's system.
 */
import type { Alert, Environment, Service, System } from '@kiln/model';
import { monitoredServices, servicesOf } from '@kiln/model';
import { analyze } from '@kiln/promql';
import type { EnvironmentIndex } from '@kiln/promql';

/** The services of `environment` an alert concerns, in the environment's order. */
export function concernedServices(environment: Environment, index: EnvironmentIndex, system: System, alert: Alert): Service[] {
  const services = servicesOf(environment);
  const slo = alert.slo === undefined ? undefined : system.slos.find((s) => s.name === alert.slo);
  const named = slo ? new Set([slo.service]) : selectedServices(environment, index, alert.expr);
  const concerned = services.filter((service) => named.has(service.name));
  return concerned.length > 0 ? concerned : [...system.services];
}

function selectedServices(environment: Environment, index: EnvironmentIndex, expr: string): Set<string> {
  const names = new Set<string>();
  const seen = new Set<string>();
  const visit = (expression: string, metrics: readonly string[]) => {
    for (const name of jobMatches(expression, servicesOf(environment))) names.add(name);
    for (const metric of metrics) {
      if (seen.has(metric)) continue;
      seen.add(metric);
      const info = index.index.get(metric);
      if (info?.source.startsWith('service ')) {
        // The index names the first service that declared a family; a shared family (one client
        // library in two services) is every exporter's.
        for (const service of monitoredServices(environment)) {
          if (service.metrics?.exports.some((m) => m.name === info.family)) names.add(service.name);
        }
      } else if (info?.source.startsWith('recording rule ')) {
        const record = index.records.find((r) => r.rule.record === metric);
        if (record) visit(record.rule.expr, record.analysis.metrics);
      }
    }
  };
  visit(expr, analyze(expr, { index: index.index, scrapeIntervalMs: index.scrapeIntervalMs }).metrics);
  return names;
}

const JOB_MATCHER = /(?<![\w:])job\s*(=~|=)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)/g;

/**
 * Services a `job="…"` or `job=~"…"` matcher selects. A regex matcher is anchored, as Prometheus
 * anchors it; negative matchers select no service in particular.
 */
export function jobMatches(expr: string, services: readonly Service[]): string[] {
  const names: string[] = [];
  for (const match of expr.matchAll(JOB_MATCHER)) {
    const value = literal(match[2] ?? '""');
    if (match[1] === '=') {
      names.push(value);
      continue;
    }
    let pattern: RegExp;
    try {
      pattern = new RegExp(`^(?:${value})$`);
    } catch {
      continue; // RE2 syntax JavaScript lacks: the metrics still say which services it is about
    }
    names.push(...services.filter((service) => pattern.test(service.name)).map((service) => service.name));
  }
  return names;
}

/** A PromQL string literal's value: quotes take backslash escapes, backticks are raw. */
function literal(quoted: string): string {
  const body = quoted.slice(1, -1);
  if (quoted.startsWith('`')) return body;
  return body.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}
