/**
 * The Prometheus emitter. For every environment whose systems have metrics, alerts or SLOs: rule
 * files and their promtool tests; for compose and hosts targets the scrape configuration and
 * Alertmanager's; for Kubernetes targets the prometheus-operator objects. Every expression is
 * checked against the metric catalogs first, and nothing is emitted for an environment with errors.
 */
import { validateObject } from '@kiln/core';
import type { Emitter, Output } from '@kiln/core';
import { hasMonitoring, servicesOf } from '@kiln/model';
import { alertmanagerConfig } from './alertmanager.js';
import { checkEnvironment } from './check.js';
import { alertmanagerConfigObject, podMonitor, prometheusRule } from './operator.js';
import type { MonitoringObject } from './operator.js';
import { ruleGroups, rulesPath, ruleTests, testsPath } from './rule-files.js';
import { scrapeConfig } from './scrape.js';

export const prometheusEmitter: Emitter = {
  name: 'prometheus',
  emit(env) {
    if (!hasMonitoring(env)) return { outputs: [], diagnostics: [] };
    const checked = checkEnvironment(env);
    const outputs: Output[] = [];
    const objects: MonitoringObject[] = [];
    const kubernetes = env.targets.kubernetes;
    for (const system of env.systems) {
      const groups = ruleGroups(env, system);
      if (groups.length === 0) continue;
      outputs.push({ path: rulesPath(env.name, system), format: 'yaml', data: { groups } });
      const tests = ruleTests(env, system);
      if (tests) outputs.push({ path: testsPath(env.name, system), format: 'yaml', data: tests.data });
      if (kubernetes) objects.push(prometheusRule(env, kubernetes, system, groups));
    }
    for (const target of ['compose', 'hosts'] as const) {
      if (!env.targets[target]) continue;
      outputs.push({ path: `${env.name}/prometheus/prometheus.yml`, format: 'yaml', data: scrapeConfig(env, target) });
      if (env.monitoring.alerting) outputs.push({ path: `${env.name}/alertmanager/alertmanager.yml`, format: 'yaml', data: alertmanagerConfig(env.monitoring.alerting, target) });
      break;
    }
    if (kubernetes) {
      for (const service of servicesOf(env)) {
        const monitor = podMonitor(env, kubernetes, service);
        if (monitor) objects.push(monitor);
      }
      const routing = alertmanagerConfigObject(env, kubernetes);
      if (routing) objects.push(routing);
    }
    const diagnostics = [...checked.diagnostics];
    for (const object of objects) {
      for (const problem of validateObject(object)) {
        diagnostics.push({
          code: 'OBJECT_INVALID',
          severity: 'error',
          file: env.source,
          path: '',
          message: `${object.kind} '${object.metadata.name}' fails its schema: ${problem}`,
          hint: 'this is a bug in Kiln or a value the model let through; please report it with this message',
        });
      }
      outputs.push({ path: `${env.name}/kubernetes/${object.kind.toLowerCase()}-${object.metadata.name}.yaml`, format: 'yaml', data: object });
    }
    return { outputs, diagnostics };
  },
};
