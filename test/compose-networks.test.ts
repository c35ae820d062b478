/**
 * Compose networks admit exactly the declared links. In every environment with a Compose target, two
 * Compose services share a network only when they run one model service (its members or replicas),
 * or a declared flow or one of Kiln's monitoring links (Prometheus to what it scrapes and to
 * Alertmanager, Grafana to Prometheus) joins them; and each declared link does share a network, where
 * the server answers to its model service's name.
 */
import { join } from 'node:path';
import { emitters, repositoryEmitters } from '@kiln/cli';
import type { ComposeFile } from '@kiln/compose';
import { compile } from '@kiln/core';
import { monitoredServices, servicesOf } from '@kiln/model';
import type { Environment } from '@kiln/model';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const TIMEOUT_MS = 120_000;
const root = join(import.meta.dirname, '..');
let files: { environment: Environment; compose: ComposeFile }[] = [];

beforeAll(async () => {
  const compiled = await compile({ root, emitters, repositoryEmitters });
  files = compiled.environments.flatMap((environment) => {
    const content = compiled.files.get(`${environment.name}/compose/docker-compose.yml`);
    return content === undefined ? [] : [{ environment, compose: parse(content) as ComposeFile }];
  });
}, TIMEOUT_MS);

/** The model service (or Kiln's monitoring service) each Compose service runs, read from the model. */
function owners(environment: Environment): Map<string, string> {
  const owner = new Map(['alertmanager', 'grafana', 'prometheus'].map((name) => [name, name]));
  for (const service of servicesOf(environment)) {
    for (const container of service.stateful ? service.stateful.ids.map((id) => `${service.name}-${id}`) : [service.name]) owner.set(container, service.name);
  }
  return owner;
}

/** The declared links between model (and monitoring) services, as client and server. */
function links(environment: Environment): [string, string][] {
  const flows = environment.systems.flatMap((system) => system.flows.map((flow): [string, string] => [flow.from, flow.to]));
  const monitoring: [string, string][] = [...monitoredServices(environment).map((service): [string, string] => ['prometheus', service.name]), ['prometheus', 'alertmanager'], ['grafana', 'prometheus']];
  return [...flows, ...monitoring];
}

function networksOf(compose: ComposeFile, container: string): string[] {
  const networks = compose.services[container]?.networks ?? [];
  return Array.isArray(networks) ? networks : Object.keys(networks);
}

/** Pairs of Compose services that share a network with neither a link nor a model service between them. */
function undeclaredPairs(environment: Environment, compose: ComposeFile): string[] {
  const owner = owners(environment);
  const allowed = new Set(links(environment).flatMap(([a, b]) => [`${a} ${b}`, `${b} ${a}`]));
  const containers = Object.keys(compose.services);
  const pairs = new Set<string>();
  for (const a of containers) {
    for (const b of containers) {
      if (a >= b || !networksOf(compose, a).some((network) => networksOf(compose, b).includes(network))) continue;
      const [ownerA, ownerB] = [owner.get(a) ?? a, owner.get(b) ?? b];
      if (ownerA !== ownerB && !allowed.has(`${ownerA} ${ownerB}`)) pairs.add(`${a} ${b}`);
    }
  }
  return [...pairs];
}

describe('Compose networks of the seed environments', () => {
  it('cover every seed with a Compose target', () => {
    expect(files.map(({ environment }) => environment.name)).toEqual(expect.arrayContaining(['besu-devnet', 'dongting-dev', 'rpcnet-dev', 'veza-staging']));
  });

  it('let no two Compose services share a network without a declared flow or monitoring link between them', () => {
    for (const { environment, compose } of files) expect(undeclaredPairs(environment, compose), environment.name).toEqual([]);
  });

  it('catch a leak: a second client of postgres on its pair network', () => {
    const veza = files.find(({ environment }) => environment.name === 'veza-staging');
    if (!veza) throw new Error('veza-staging has no Compose file');
    const stream = veza.compose.services['stream-server'];
    const postgres = [...owners(veza.environment)].find(([container, service]) => service === 'postgres' && veza.compose.services[container])?.[0] ?? '';
    const pair = networksOf(veza.compose, postgres).find((network) => networksOf(veza.compose, 'chat-server').includes(network));
    if (!stream || !pair) throw new Error('veza-staging: expected chat-server and postgres on one network');
    const leaky = { ...veza.compose, services: { ...veza.compose.services, 'stream-server': { ...stream, networks: [...networksOf(veza.compose, 'stream-server'), pair] } } };
    expect(undeclaredPairs(veza.environment, leaky)).toEqual(['chat-server stream-server']);
  });

  it('put every Compose service on a network of its own choosing, never Compose’s shared default', () => {
    for (const { environment, compose } of files) {
      for (const container of Object.keys(compose.services)) expect(networksOf(compose, container), `${environment.name}: ${container}`).not.toEqual([]);
      expect(Object.keys(compose.networks ?? {}), environment.name).not.toContain('default');
    }
  });

  it('give each declared link a shared network on which the server answers to its service name', () => {
    for (const { environment, compose } of files) {
      const byService = new Map<string, string[]>();
      for (const [container, service] of owners(environment)) if (compose.services[container]) byService.set(service, [...(byService.get(service) ?? []), container]);
      for (const [client, server] of links(environment)) {
        for (const from of byService.get(client) ?? []) {
          for (const to of byService.get(server) ?? []) {
            const shared = networksOf(compose, from).filter((network) => networksOf(compose, to).includes(network));
            expect(shared, `${environment.name}: ${from} → ${to}`).not.toEqual([]);
            const networks = compose.services[to]?.networks;
            // A member (`postgres-0`) answers to its service's name (`postgres`) through an alias.
            if (to !== server && networks && !Array.isArray(networks)) expect(networks[shared[0] ?? '']?.aliases, `${environment.name}: ${to}`).toContain(server);
          }
        }
      }
    }
  });
});
