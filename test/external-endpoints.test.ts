/**
 * Endpoints outside the environment, on the generated output of every committed environment:
 * - every host a generated env value, argument or configuration file names (a URL, `host:port`, a
 *   DSN) resolves to what that very output declares: a Kubernetes Service of the namespace in one of
 *   its DNS forms, a StatefulSet member, a Compose service, hostname or alias, or an external
 *   endpoint the environment binds;
 * - on Kubernetes, the caller's NetworkPolicies let it reach that host on the named port (egress is
 *   denied by default), and every NetworkPolicy passes the strict schemas of 1.31 and 1.36;
 * - on Compose, an external endpoint adds no service and no network.
 */
import { BlockList, isIP } from 'node:net';
import { join } from 'node:path';
import { emitters, repositoryEmitters } from '@kiln/cli';
import { compile } from '@kiln/core';
import { externalsOf, hostReferences, isOwnAddress, servicesOf } from '@kiln/model';
import type { Environment, EnvironmentInput, External } from '@kiln/model';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { STRICT_VERSIONS, strictSchemas } from './support/kubernetes-schemas.js';

const TIMEOUT_MS = 120_000;
const root = join(import.meta.dirname, '..');

type Labels = Record<string, string>;
type Peer = { podSelector?: { matchLabels?: Labels }; namespaceSelector?: { matchLabels?: Labels }; ipBlock?: { cidr: string } };
type Rule = { to?: Peer[]; ports?: { port: number; protocol: string }[] };
type Container = { env?: { name: string; value?: string }[]; command?: string[]; args?: string[] };
type KubernetesObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  data?: Record<string, string>;
  spec?: {
    selector?: Labels | { matchLabels?: Labels };
    ports?: { port: number }[];
    podSelector?: { matchLabels?: Labels };
    policyTypes?: string[];
    egress?: Rule[];
    serviceName?: string;
    replicas?: number;
    ordinals?: { start: number };
    template?: { metadata: { labels: Labels }; spec: { containers: Container[] } };
  };
};
interface ComposeService {
  environment?: Record<string, string>;
  command?: string[];
  entrypoint?: string[];
  hostname?: string;
  networks?: string[] | Record<string, { aliases?: string[] }>;
}

let environments: readonly Environment[] = [];
let files: [string, string][] = [];
/** Per environment, `<service>/<variable>` of the values the author wrote as plain(…): no host in them is a destination (CORS origins). */
const plainValues = new Map<string, Set<string>>();

beforeAll(async () => {
  const compiled = await compile({ root, emitters, repositoryEmitters });
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  environments = compiled.environments;
  files = [...compiled.files];
  for (const env of environments) {
    const input = ((await import(join(root, env.source))) as { default: EnvironmentInput }).default;
    const plain = new Set<string>();
    const note = (service: string, env: Record<string, unknown> | undefined) => {
      for (const [name, value] of Object.entries(env ?? {})) plain[typeof value === 'object' && value !== null && 'plain' in value ? 'add' : 'delete'](`${service}/${name}`);
    };
    for (const service of input.systems.flatMap((system) => system.services)) note(service.name, service.env);
    for (const [service, override] of Object.entries(input.overrides ?? {})) note(service, override.env);
    plainValues.set(env.name, plain);
  }
}, TIMEOUT_MS);

/** A value's text, its place, and the hosts it names. */
interface Named {
  readonly where: string;
  readonly host: string;
  readonly port?: number;
}

function named(where: string, texts: readonly string[]): Named[] {
  return texts.flatMap((text) => text.split('\n')).flatMap((line) => hostReferences(line).filter((ref) => !isOwnAddress(ref.host)).map((ref) => ({ where, ...ref })));
}

/** The external endpoint a host names, by its bound host or an address inside its block. */
function externalFor(env: Environment, host: string): External | undefined {
  return externalsOf(env).find((external) => {
    if ('host' in external.address) return external.address.host === host;
    const [address = '', bits] = external.address.cidr.split('/');
    const family = isIP(host);
    if (family === 0 || isIP(address) !== family) return false;
    const list = new BlockList();
    list.addSubnet(address, Number(bits), family === 6 ? 'ipv6' : 'ipv4');
    return list.check(host, family === 6 ? 'ipv6' : 'ipv4');
  });
}

function kubernetesObjects(env: Environment): KubernetesObject[] {
  return files.filter(([path]) => path.startsWith(`${env.name}/kubernetes/`)).map(([, content]) => parse(content, { version: '1.1' }) as KubernetesObject);
}

const matches = (selector: Labels | undefined, labels: Labels) => Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value);

describe('host-like values of the committed environments', () => {
  it('are found in the seeds (the check has something to check)', () => {
    const all = environments.flatMap((env) => kubernetesObjects(env).flatMap((o) => (o.spec?.template?.spec.containers ?? []).flatMap((c) => named(o.metadata.name, (c.env ?? []).map((v) => v.value ?? '')))));
    expect(all.map((n) => n.host)).toEqual(expect.arrayContaining(['chat-server', 'redis', 'rpcnet-director', 'jaeger-collector.observability.svc.cluster.local']));
  });

  it('resolve on Kubernetes to a Service, a member or a bound external, and the caller\'s egress lets it through', () => {
    for (const env of environments.filter((e) => e.targets.kubernetes)) {
      const namespace = env.targets.kubernetes?.namespace ?? env.name;
      const objects = kubernetesObjects(env);
      const services = objects.filter((o) => o.kind === 'Service');
      const hosts = new Map<string, Labels>();
      const inCluster = (name: string, selector: Labels) => {
        for (const suffix of ['', `.${namespace}`, `.${namespace}.svc`, `.${namespace}.svc.cluster.local`]) hosts.set(`${name}${suffix}`, selector);
      };
      for (const service of services) inCluster(service.metadata.name, (service.spec?.selector ?? {}) as Labels);
      for (const set of objects.filter((o) => o.kind === 'StatefulSet')) {
        const start = set.spec?.ordinals?.start ?? 0;
        for (let i = start; i < start + (set.spec?.replicas ?? 1); i++) inCluster(`${set.metadata.name}-${i}.${set.spec?.serviceName ?? ''}`, set.spec?.template?.metadata.labels ?? {});
      }
      const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
      for (const workload of objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')) {
        const labels = workload.spec?.template?.metadata.labels ?? {};
        const egress = policies.filter((p) => p.spec?.policyTypes?.includes('Egress') && matches(p.spec.podSelector?.matchLabels, labels)).flatMap((p) => p.spec?.egress ?? []);
        const checked = (v: { name: string }) => !plainValues.get(env.name)?.has(`${workload.metadata.name}/${v.name}`);
        const values = (workload.spec?.template?.spec.containers ?? []).flatMap((c) => [...(c.env ?? []).filter(checked).map((v) => v.value ?? ''), ...(c.command ?? []), ...(c.args ?? [])]);
        const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === `${workload.metadata.name}-config`)?.data ?? {};
        for (const { where, host, port } of named(`${env.name}: ${workload.metadata.name}`, [...values, ...Object.values(config)])) {
          const selector = hosts.get(host);
          const external = externalFor(env, host);
          expect(selector ?? external, `${where} names '${host}'`).toBeDefined();
          if (selector && matches(selector, labels)) continue; // itself: members of one workload
          const allows = (rule: Rule) =>
            (port === undefined || (rule.ports ?? []).some((p) => p.port === port)) &&
            (selector ? (rule.to ?? []).some((peer) => peer.podSelector !== undefined && Object.keys(peer.podSelector.matchLabels ?? {}).length > 0 && matches(peer.podSelector.matchLabels, selector)) : (rule.to ?? []).some((peer) => peer.ipBlock || peer.namespaceSelector));
          expect(egress.some(allows), `${where}: egress to '${host}'${port === undefined ? '' : `:${port}`}`).toBe(true);
        }
      }
    }
  });

  it('resolve on Compose to a service, a member\'s hostname or alias, or a bound external; externals add no service or network', () => {
    for (const env of environments.filter((e) => e.targets.compose)) {
      const file = files.find(([path]) => path === `${env.name}/compose/docker-compose.yml`)?.[1] ?? '';
      const compose = parse(file) as { services: Record<string, ComposeService>; networks?: Record<string, unknown> };
      const hosts = new Set(Object.keys(compose.services));
      for (const service of Object.values(compose.services)) {
        if (service.hostname) hosts.add(service.hostname);
        if (service.networks && !Array.isArray(service.networks)) for (const network of Object.values(service.networks)) for (const alias of network.aliases ?? []) hosts.add(alias);
      }
      for (const external of externalsOf(env)) {
        expect(Object.keys(compose.services)).not.toContain(external.name);
        expect(Object.keys(compose.networks ?? {})).not.toContain(external.name);
      }
      const configs = files.filter(([path]) => path.startsWith(`${env.name}/compose/config/`));
      const values = [
        ...Object.entries(compose.services).map(([name, service]) => {
          const model = servicesOf(env).find((s) => name === s.name || name.startsWith(`${s.name}-`))?.name;
          const environment = Object.entries(service.environment ?? {}).filter(([variable]) => !plainValues.get(env.name)?.has(`${model}/${variable}`));
          return { where: `${env.name}: ${name}`, texts: [...environment.map(([, value]) => value), ...(service.command ?? []), ...(service.entrypoint ?? [])].map(String) };
        }),
        ...configs.map(([path, text]) => ({ where: path, texts: [text] })),
      ];
      for (const { where: place, texts } of values) {
        for (const { where, host } of named(place, texts)) expect(hosts.has(host) || externalFor(env, host) !== undefined, `${where} names '${host}'`).toBe(true);
      }
    }
  });
});

describe('NetworkPolicies of the committed environments', () => {
  it('deny egress by default in every Kubernetes environment, and give every workload its own', () => {
    for (const env of environments.filter((e) => e.targets.kubernetes)) {
      const objects = kubernetesObjects(env);
      const names = objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata.name);
      expect(names, env.name).toContain('default-deny-egress');
      for (const workload of objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')) expect(names, env.name).toContain(`allow-egress-from-${workload.metadata.name}`);
    }
  });

  it.each(STRICT_VERSIONS)('pass the strict Kubernetes %s schemas', (version) => {
    const schemas = strictSchemas(version);
    if (!schemas.present) {
      if (process.env.KILN_REQUIRE_TOOLS === '1') throw new Error(`the shared Kubernetes schemas (${schemas.folder}) are required`);
      return console.warn(`SKIPPED: no ${schemas.folder}`);
    }
    const policies = environments.flatMap((env) => kubernetesObjects(env).filter((o) => o.kind === 'NetworkPolicy'));
    expect(policies.length).toBeGreaterThan(20);
    for (const policy of policies) expect(schemas.errors(policy), policy.metadata.name).toBe('');
  });
});
