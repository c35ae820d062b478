/**
 * Which services an expression watches: the services whose metrics it reads (through recording
 * rules too), narrowed to the services it names in a label matcher (`job="api"`, `job=~"a|b"`,
 * `container="postgres"`), which also count alone (`up{job="api"}` reads a metric no service
 * exports). Read from the text, without a PromQL parser: the model package has none, and the
 * emitters that parse PromQL have already checked every expression against the catalogs.
 */
import type { Environment, Service } from './model.js';
import { servicesOf } from './model.js';
import { metricOfSeries } from './slo.js';

/** Names outside quotes, and the quoted strings, of a PromQL expression. */
function tokens(expr: string): { names: string[]; strings: string[] } {
  const strings: string[] = [];
  const bare = expr.replace(/"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|`([^`]*)`/g, (_, a?: string, b?: string, c?: string) => {
    strings.push(a ?? b ?? c ?? '');
    return ' ';
  });
  return { names: bare.match(/[A-Za-z_:][A-Za-z0-9_:]*/g) ?? [], strings };
}

/** The services an environment's expressions can be about, and how to find them in one expression. */
export function coverage(environment: Environment): (expr: string) => Set<string> {
  const services = servicesOf(environment);
  const rules = new Map(environment.systems.flatMap((system) => system.recordingRules.map((rule) => [rule.record, rule.expr] as const)));
  const exporters = (series: string): Service[] => services.filter((service) => metricOfSeries(series, service.metrics?.exports ?? []) !== undefined);
  const watched = (expr: string, seen: Set<string>): { read: Set<string>; named: Set<string> } => {
    const { names, strings } = tokens(expr);
    const read = new Set<string>();
    const named = new Set(strings.flatMap((text) => text.split('|')).filter((text) => services.some((service) => service.name === text)));
    for (const name of names) {
      const rule = rules.get(name);
      if (rule !== undefined && !seen.has(name)) {
        const inner = watched(rule, new Set([...seen, name]));
        for (const service of inner.read) read.add(service);
        for (const service of inner.named) named.add(service);
      }
      for (const service of exporters(name)) read.add(service.name);
    }
    return { read, named };
  };
  return (expr) => {
    const { read, named } = watched(expr, new Set());
    return named.size > 0 ? named : read;
  };
}

/** Per service: how many alerts and dashboards watch it. SLO alerts watch their SLO's service. */
export function monitoringCoverage(environment: Environment): Map<string, { alerts: number; dashboards: number }> {
  const about = coverage(environment);
  const counts = new Map(servicesOf(environment).map((service) => [service.name, { alerts: 0, dashboards: 0 }]));
  for (const system of environment.systems) {
    const sloService = new Map(system.slos.map((slo) => [slo.name, slo.service]));
    for (const alert of system.alerts) {
      const owner = alert.slo === undefined ? undefined : sloService.get(alert.slo);
      for (const name of owner === undefined ? about(alert.expr) : [owner]) {
        const count = counts.get(name);
        if (count) count.alerts += 1;
      }
    }
    for (const dashboard of system.dashboards) {
      const watched = new Set(dashboard.rows.flatMap((row) => row.panels.flatMap((panel) => panel.queries.flatMap((query) => [...about(query.expr)]))));
      for (const name of watched) {
        const count = counts.get(name);
        if (count) count.dashboards += 1;
      }
    }
  }
  return counts;
}
