/**
 * `prometheus/prometheus.yml` for compose and hosts targets: a scrape job per service (job = the
 * service name, as the alerts expect) and a target per instance, the rule files beside it, and
 * Alertmanager. On Kubernetes the operator builds this from PodMonitors instead.
 */
import type { Environment, Service } from '@kiln/model';
import { servicesOf } from '@kiln/model';

/** Where Prometheus finds Alertmanager: beside it (hosts) or as a Compose service named alertmanager. */
const ALERTMANAGER = { compose: 'alertmanager:9093', hosts: '127.0.0.1:9093' } as const;

export function scrapeConfig(env: Environment, target: 'compose' | 'hosts'): Record<string, unknown> {
  const jobs = servicesOf(env)
    .filter((service) => service.metrics)
    .map((service) => ({
      job_name: service.name,
      metrics_path: service.metrics?.path ?? '/metrics',
      ...(target === 'compose' ? composeTargets(service) : { static_configs: hostTargets(env, service) }),
    }));
  return {
    global: {
      scrape_interval: env.monitoring.scrapeInterval,
      evaluation_interval: env.monitoring.evaluationInterval,
      external_labels: { environment: env.name },
    },
    rule_files: ['rules/*.yml'],
    ...(env.monitoring.alerting && { alerting: { alertmanagers: [{ static_configs: [{ targets: [ALERTMANAGER[target]] }] }] } }),
    scrape_configs: jobs,
  };
}

function composeTargets(service: Service): Record<string, unknown> {
  const port = service.metrics?.port.port ?? 0;
  if (service.stateful) {
    // Members are Compose services of their own (`<service>-<id>`): one static target each.
    return { static_configs: [{ targets: service.stateful.ids.map((id) => `${service.name}-${id}:${port}`) }] };
  }
  // Replicas share one DNS name; an A lookup returns every container, one target each.
  return { dns_sd_configs: [{ names: [service.name], type: 'A', port }] };
}

/** One target per machine running the service: the machine's address, labelled with its name. */
function hostTargets(env: Environment, service: Service): Record<string, unknown>[] {
  const port = service.metrics?.port.port ?? 0;
  return (env.targets.hosts?.machines ?? [])
    .filter((machine) => machine.services.includes(service.name))
    .map((machine) => ({ targets: [`${machine.address}:${port}`], labels: { instance: `${machine.name}:${port}` } }));
}
