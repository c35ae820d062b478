/**
 * Prometheus and Alertmanager as Compose services, for an environment with monitoring: what
 * `generated/<env>/prometheus/` and `alertmanager/` configure, running where the services are.
 * Their links are declared here as flows are in a system: Prometheus to every scraped service and to
 * Alertmanager, Grafana to Prometheus; each link gets its network as a flow does (see networks.ts).
 * All publish their UI on 127.0.0.1 only. Receiver secrets are Compose file secrets, read by
 * Alertmanager from /run/secrets.
 */
import { composeRestart, hasMonitoring, monitoredServices, receiverSecrets } from '@kiln/model';
import type { Environment } from '@kiln/model';
import type { ComposeService } from './compose-file.js';
import type { Link } from './networks.js';
import { composeSecretName } from './secrets.js';

/** Pinned: Prometheus 2.53 is a long-term support release; Alertmanager 0.27 reads its *_file secrets. */
export const PROMETHEUS_IMAGE = 'prom/prometheus:v2.53.2';
export const ALERTMANAGER_IMAGE = 'prom/alertmanager:v0.27.0';
export const MONITORING_SERVICES = ['alertmanager', 'grafana', 'prometheus'] as const;

/** Grafana at the version the environment's dashboards are written for (x.y.0 of its minor). */
export function grafanaImage(environment: Environment): string {
  return `grafana/grafana:${environment.monitoring.grafana?.version ?? '11.6'}.0`;
}

/** The image's user (nobody), as the images run: the data volumes belong to it. */
const HARDENING = { read_only: true as const, security_opt: ['no-new-privileges:true'], cap_drop: ['ALL'] };

export interface MonitoringServices {
  /** Without `networks:`, which come from the links. */
  readonly services: Record<string, ComposeService>;
  /** Named volumes they add. */
  readonly volumes: string[];
  /** What each of them reaches, by Compose service name. */
  readonly links: Link[];
  /** Compose secret names Alertmanager reads. */
  readonly secrets: string[];
}

/**
 * How long Prometheus keeps data: an SLO's period SLI reads its whole period (`[30d]`), more than
 * the default 15 days, plus a week's margin so the window is full from the first day it is read.
 */
export function retention(environment: Environment): string {
  const days = Math.max(15, ...environment.systems.flatMap((system) => system.slos.map((slo) => Number.parseInt(slo.period, 10) + 7)));
  return `${days}d`;
}

export function monitoringServices(environment: Environment): MonitoringServices | undefined {
  if (!hasMonitoring(environment)) return undefined;
  const alerting = environment.monitoring.alerting !== undefined;
  const dashboards = environment.systems.some((system) => system.dashboards.length > 0);
  const scraped = [...new Set(monitoredServices(environment).map((service) => service.name))].sort();
  const secrets = [...new Set(receiverSecrets(environment).map(composeSecretName))].sort();
  const base = { ...HARDENING, restart: composeRestart(environment.stage) };
  const services: Record<string, ComposeService> = {
    prometheus: {
      image: PROMETHEUS_IMAGE,
      command: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus', `--storage.tsdb.retention.time=${retention(environment)}`, '--web.enable-lifecycle'],
      ports: ['127.0.0.1:9090:9090'],
      ...base,
      volumes: [
        { type: 'bind', source: '../prometheus', target: '/etc/prometheus', read_only: true },
        { type: 'volume', source: 'prometheus-data', target: '/prometheus' },
      ],
    },
  };
  if (dashboards) {
    // generated/<env>/grafana holds the provisioning (datasource, dashboard provider) and the dashboards.
    services['grafana'] = {
      image: grafanaImage(environment),
      ports: ['127.0.0.1:3000:3000'],
      ...base,
      tmpfs: ['/tmp'],
      volumes: [
        { type: 'bind', source: '../grafana/provisioning', target: '/etc/grafana/provisioning', read_only: true },
        { type: 'bind', source: '../grafana/dashboards', target: '/var/lib/grafana/dashboards', read_only: true },
        { type: 'volume', source: 'grafana-data', target: '/var/lib/grafana' },
      ],
    };
  }
  if (alerting) {
    services['alertmanager'] = {
      image: ALERTMANAGER_IMAGE,
      command: ['--config.file=/etc/alertmanager/alertmanager.yml', '--storage.path=/alertmanager'],
      ...(secrets.length > 0 && { secrets: secrets.map((name) => ({ source: name, target: name })) }),
      ports: ['127.0.0.1:9093:9093'],
      ...base,
      volumes: [
        { type: 'bind', source: '../alertmanager', target: '/etc/alertmanager', read_only: true },
        { type: 'volume', source: 'alertmanager-data', target: '/alertmanager' },
      ],
    };
  }
  return {
    services,
    volumes: ['prometheus-data', ...(alerting ? ['alertmanager-data'] : []), ...(dashboards ? ['grafana-data'] : [])],
    links: [
      ...scraped.map((server) => ({ client: 'prometheus', server })),
      ...(alerting ? [{ client: 'prometheus', server: 'alertmanager' }] : []),
      ...(dashboards ? [{ client: 'grafana', server: 'prometheus' }] : []),
    ],
    secrets,
  };
}
