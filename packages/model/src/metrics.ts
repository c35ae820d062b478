/** Every metric an environment's Prometheus can see: the services' exports and the platform catalogs. */
import { scrapeSeries } from './catalogs.js';
import type { ParsedEnvironment } from './environment.js';
import type { Metric } from './monitoring-model.js';

export function environmentMetrics(env: Pick<ParsedEnvironment, 'systems' | 'monitoring'>): Metric[] {
  const platform = [scrapeSeries, ...env.monitoring.platform].flatMap((catalog) => catalog.metrics as Metric[]);
  const services = env.systems.flatMap((system) => system.services.flatMap((service) => service.metrics?.exports ?? []));
  return [...services, ...platform] as Metric[];
}
