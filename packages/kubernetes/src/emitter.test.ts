import type { Environment, EnvironmentInput, ServiceInput } from '@kiln/model';
import { resolveEnvironment, secret } from '@kiln/model';
import { describe, expect, it } from 'vitest';
import { kubernetesEmitter } from './emitter.js';
import { validateObject } from '@kiln/core';

/** A resolved environment from a few services; everything else is a small, valid default. */
function environment(services: ServiceInput[], extra: Partial<EnvironmentInput> = {}): Environment {
  const input: EnvironmentInput = {
    name: 'shop-prod',
    stage: 'production',
    systems: [{ name: 'shop', services, flows: [] }],
    targets: { kubernetes: { cluster: 'prod-eu', version: '1.31', secretStore: { name: 'vault' } } },
    ...extra,
  };
  const { environment, issues } = resolveEnvironment(input, { environment: 'environments/shop-prod.ts', system: () => 'environments/systems/shop.ts' });
  if (!environment) throw new Error(`fixture does not resolve: ${JSON.stringify(issues)}`);
  return environment;
}

const api = (over: Partial<ServiceInput> = {}): ServiceInput => ({
  name: 'api',
  image: 'acme/api:1.4.2',
  ports: [{ name: 'http', port: 8080 }],
  resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
  probes: { readiness: { http: { path: '/ready', port: 'http' } } },
  ...over,
});

const pick = (record: Record<string, string>, keys: string[]) => Object.fromEntries(keys.map((key) => [key, record[key]]));

function emit(env: Environment) {
  const result = kubernetesEmitter.emit(env);
  const objects = new Map(result.outputs.map((o) => [o.path.replace(`${env.name}/kubernetes/`, ''), (o as { data: Record<string, any> }).data]));
  return { objects, diagnostics: result.diagnostics };
}

describe('kubernetes emitter', () => {
  it('emits a validated Deployment with probes, resources, a hardened security context and labels', () => {
    const { objects, diagnostics } = emit(environment([api({ replicas: 3 })]));
    expect(diagnostics).toEqual([]);
    const deployment = objects.get('deployment-api.yaml');
    expect(deployment?.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('0');
    expect(deployment?.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/version': '1.4.2', 'app.kubernetes.io/managed-by': 'kiln', 'app.kubernetes.io/part-of': 'shop' });
    expect(deployment?.spec.replicas).toBe(3);
    const pod = deployment?.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(pod.containers[0].readinessProbe.httpGet).toEqual({ path: '/ready', port: 8080 });
    expect(pod.containers[0].resources).toEqual({ requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } });
    expect(pod.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
    expect(objects.get('poddisruptionbudget-api.yaml')?.spec.maxUnavailable).toBe(1);
    expect(objects.get('namespace-shop-prod.yaml')?.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-2');
    for (const object of objects.values()) expect(validateObject(object as never)).toEqual([]);
  });

  it('labels the version only with tags that are valid label values', () => {
    const long = `1.0.0-${'a'.repeat(70)}`;
    const { objects } = emit(environment([api({ image: `acme/api:${long}` })]));
    const deployment = objects.get('deployment-api.yaml');
    expect(deployment?.metadata.labels['app.kubernetes.io/version']).toBeUndefined();
    expect(deployment?.spec.template.spec.containers[0].image).toBe(`acme/api:${long}`);
  });

  it('keeps every label value within 63 characters, however long the object name', () => {
    const long = (name: string) => api({ name, probes: {} });
    const from = 'a-rather-long-service-name-that-calls-others';
    const to = 'another-rather-long-service-name-being-called';
    const env = environment([long(from), long(to)], { systems: [{ name: 'shop', services: [long(from), long(to)], flows: [{ from, to, port: 'http' }] }] });
    const { objects } = emit(env);
    const policy = objects.get(`networkpolicy-allow-${from}-to-${to}-http.yaml`);
    expect(policy?.metadata.name.length).toBeGreaterThan(63);
    for (const object of objects.values()) {
      for (const value of Object.values(object.metadata.labels as Record<string, string>)) expect(value.length).toBeLessThanOrEqual(63);
    }
  });

  it('names ephemeral storage as the API does', () => {
    const { objects } = emit(environment([api({ resources: { requests: { ephemeralStorage: '1Gi' }, limits: { ephemeralStorage: '10Gi' } } })]));
    expect(objects.get('deployment-api.yaml')?.spec.template.spec.containers[0].resources).toEqual({ requests: { 'ephemeral-storage': '1Gi' }, limits: { 'ephemeral-storage': '10Gi' } });
  });

  it('reports an object that fails its schema at the service that made it', () => {
    // A resolved model that slipped past validation: the schema check is the last line.
    const env = environment([api()]);
    const [service] = env.systems[0]?.services ?? [];
    const { diagnostics } = emit({ ...env, systems: [{ ...env.systems[0]!, services: [{ ...service!, ports: [{ name: 'http', port: 'http' as never, protocol: 'TCP', expose: 'internal' }] }] }] });
    expect(diagnostics.map((d) => [d.code, d.file, d.path])).toContainEqual(['K8S_OBJECT_INVALID', 'environments/systems/shop.ts', 'services[api]']);
  });

  it('rejects an object that breaks its schema', () => {
    const broken = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { selector: {}, template: { spec: { containers: [{ name: 'x', image: 'x:1', ports: [{ containerPort: 'http' }] }] } } } };
    expect(validateObject(broken)[0]).toMatch(/containerPort/);
    expect(validateObject({ apiVersion: 'v1', kind: 'Secret' })[0]).toMatch(/no schema/);
  });

  it('spreads across zones only for production replicas, and skips the PDB for one replica', () => {
    const { objects } = emit(environment([api()], { stage: 'staging' }));
    expect(objects.get('deployment-api.yaml')?.spec.template.spec.topologySpreadConstraints).toBeUndefined();
    expect(objects.has('poddisruptionbudget-api.yaml')).toBe(false);
  });

  it('builds a StatefulSet with stable member ids, a headless Service and a peer list', () => {
    const kv = api({
      name: 'kv',
      ports: [{ name: 'replicate', port: 4000 }, { name: 'service', port: 5000 }],
      probes: {},
      stateful: { members: 3, firstId: 1, idEnv: 'NODE_ID', peers: { env: 'SERVERS', port: 'replicate', format: '{id},{host}:{port}', separator: ';' } },
      volumes: [{ name: 'data', mountPath: '/data', size: '50Gi', storageClass: 'fast-ssd' }],
    });
    const { objects, diagnostics } = emit(environment([kv]));
    expect(diagnostics).toEqual([]);
    const sts = objects.get('statefulset-kv.yaml');
    expect(sts?.spec).toMatchObject({ replicas: 3, serviceName: 'kv-headless', podManagementPolicy: 'Parallel', ordinals: { start: 1 } });
    expect(sts?.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'fast-ssd', resources: { requests: { storage: '50Gi' } } });
    const env = sts?.spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'NODE_ID', valueFrom: { fieldRef: { fieldPath: "metadata.labels['apps.kubernetes.io/pod-index']" } } });
    expect(env).toContainEqual({
      name: 'SERVERS',
      value: '1,kv-1.kv-headless.shop-prod.svc:4000;2,kv-2.kv-headless.shop-prod.svc:4000;3,kv-3.kv-headless.shop-prod.svc:4000',
    });
    expect(objects.get('service-kv-headless.yaml')?.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(objects.get('poddisruptionbudget-kv.yaml')?.spec.maxUnavailable).toBe(1);
  });

  it('gives every StatefulSet its headless Service, and lets callers reach unready replicas when asked', () => {
    const db = api({ name: 'db', probes: {}, volumes: [{ name: 'data', mountPath: '/data', size: '10Gi' }] });
    const director = api({ name: 'director', publishNotReadyAddresses: true });
    const { objects } = emit(environment([db, director]));
    expect(objects.get('statefulset-db.yaml')?.spec.serviceName).toBe('db-headless');
    expect(objects.get('service-db-headless.yaml')?.spec).toMatchObject({ clusterIP: 'None' });
    expect(objects.get('service-director.yaml')?.spec.publishNotReadyAddresses).toBe(true);
    expect(objects.get('service-db.yaml')?.spec.publishNotReadyAddresses).toBeUndefined();
  });

  it('refuses member ids on a cluster without the pod-index label', () => {
    const kv = api({ name: 'kv', probes: {}, stateful: { members: 3, idEnv: 'NODE_ID' } });
    const { diagnostics } = emit(environment([kv], { targets: { kubernetes: { cluster: 'old', version: '1.27', secretStore: { name: 'vault' } } } }));
    expect(diagnostics.map((d) => d.code)).toEqual(['K8S_VERSION_TOO_OLD']);
  });

  it('autoscales on CPU and a Pods metric, and insists on a CPU request', () => {
    const worker = api({ name: 'worker', autoscaling: { minReplicas: 3, maxReplicas: 20, cpuUtilization: 70, podsMetrics: [{ metric: 'rpc_requests_per_second', averageValue: '5k' }] } });
    const { objects } = emit(environment([worker]));
    const hpa = objects.get('horizontalpodautoscaler-worker.yaml');
    expect(hpa?.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'Pods', pods: { metric: { name: 'rpc_requests_per_second' }, target: { type: 'AverageValue', averageValue: '5k' } } },
    ]);
    expect(objects.get('deployment-worker.yaml')?.spec.replicas).toBeUndefined();
    const noRequest = emit(environment([api({ name: 'worker', resources: {}, autoscaling: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 70 } })]));
    expect(noRequest.diagnostics.map((d) => d.code)).toEqual(['K8S_HPA_WITHOUT_CPU_REQUEST']);
  });

  it('denies ingress by default and allows each flow, public port and metrics port', () => {
    const web = api({ name: 'web', ports: [{ name: 'http', port: 80, expose: 'public' }, { name: 'metrics', port: 9090 }], metrics: { port: 'metrics' } });
    const env = environment([api(), web], {
      systems: [{ name: 'shop', services: [api(), web], flows: [{ from: 'web', to: 'api', port: 'http' }] }],
    });
    const { objects } = emit(env);
    expect(objects.get('networkpolicy-default-deny-ingress.yaml')?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    expect(objects.get('networkpolicy-allow-web-to-api-http.yaml')?.spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'shop-prod' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
    expect(objects.get('networkpolicy-allow-public-to-web.yaml')?.spec.ingress).toEqual([{ ports: [{ port: 80, protocol: 'TCP' }] }]);
    expect(objects.get('networkpolicy-allow-monitoring-to-web.yaml')?.spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'monitoring' });
    expect(objects.get('service-web-public.yaml')?.spec).toMatchObject({ type: 'LoadBalancer', ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] });
    expect(objects.get('service-web.yaml')?.spec.type).toBe('ClusterIP');
  });

  it('turns secret references into ExternalSecrets and secretKeyRefs, never a Secret', () => {
    const { objects } = emit(environment([api({ env: { JWT_SECRET: secret('jwt'), LOG: 'info', ON: true } })]));
    expect([...objects.keys()].some((path) => path.startsWith('secret-'))).toBe(false);
    expect(objects.get('externalsecret-jwt.yaml')?.spec).toEqual({
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' },
      target: { name: 'jwt', creationPolicy: 'Owner' },
      data: [{ secretKey: 'value', remoteRef: { key: 'shop-prod/jwt', property: 'value' } }],
    });
    expect(objects.get('deployment-api.yaml')?.spec.template.spec.containers[0].env).toEqual([
      { name: 'JWT_SECRET', valueFrom: { secretKeyRef: { name: 'jwt', key: 'value' } } },
      { name: 'LOG', value: 'info' },
      { name: 'ON', value: 'true' },
    ]);
  });

  it('mounts secret files from the Secret the ExternalSecret creates', () => {
    const tls = api({ secretFiles: [{ path: '/etc/rpcnet/certs/server.crt', secret: 'rpcnet-tls', key: 'tls.crt' }, { path: '/etc/rpcnet/certs/server.key', secret: 'rpcnet-tls', key: 'tls.key' }] });
    const { objects } = emit(environment([tls]));
    const pod = objects.get('deployment-api.yaml')?.spec.template.spec;
    // One directory mount, not subPath: the kubelet refreshes it when the secret rotates.
    expect(pod.volumes).toEqual([
      { name: 'secret-0', secret: { secretName: 'rpcnet-tls', items: [{ key: 'tls.crt', path: 'server.crt' }, { key: 'tls.key', path: 'server.key' }] } },
    ]);
    expect(pod.containers[0].volumeMounts).toEqual([{ name: 'secret-0', mountPath: '/etc/rpcnet/certs', readOnly: true }]);
    expect(objects.get('externalsecret-rpcnet-tls.yaml')?.spec.data.map((d: { secretKey: string }) => d.secretKey)).toEqual(['tls.crt', 'tls.key']);
  });

  it('puts the sysctls the placement allows into the pod, pinned to the pool that allows the unsafe ones', () => {
    const tuned = api({ tuning: { sysctls: { 'net.ipv4.tcp_keepalive_time': 600, 'net.core.somaxconn': 65535, 'net.core.rmem_max': 134217728 }, ulimits: { nofile: 100000 } } });
    const pool = { name: 'tuned', nodeSelector: { 'kiln.dev/node-pool': 'tuned' }, allowedUnsafeSysctls: ['net.core.somaxconn'], ulimits: 'runtime' as const };
    const { objects, diagnostics } = emit(environment([tuned], { targets: { kubernetes: { cluster: 'c', version: '1.31', secretStore: { name: 'vault' }, nodePools: [pool] } } }));
    const pod = objects.get('deployment-api.yaml')?.spec.template;
    expect(pod.spec.securityContext.sysctls).toEqual([
      { name: 'net.core.somaxconn', value: '65535' },
      { name: 'net.ipv4.tcp_keepalive_time', value: '600' },
    ]);
    expect(pod.spec.nodeSelector).toEqual({ 'kiln.dev/node-pool': 'tuned' });
    expect(pod.metadata.annotations['kiln.dev/required-ulimits']).toBe('nofile=100000:100000');
    expect(diagnostics).toEqual([]);
    expect(objects.get('namespace-shop-prod.yaml')?.metadata.labels['pod-security.kubernetes.io/warn']).toBe('restricted');
  });

  it('keeps the target-level allow-list as the default pool: no nodeSelector there', () => {
    const tuned = api({ tuning: { sysctls: { 'net.core.somaxconn': 65535 } } });
    const { objects } = emit(environment([tuned], { targets: { kubernetes: { cluster: 'c', version: '1.31', secretStore: { name: 'vault' }, allowedUnsafeSysctls: ['net.core.somaxconn'] } } }));
    const pod = objects.get('deployment-api.yaml')?.spec.template;
    expect(pod.spec.securityContext.sysctls).toEqual([{ name: 'net.core.somaxconn', value: '65535' }]);
    expect(pod.spec).not.toHaveProperty('nodeSelector');
  });

  it('runs the command under the entrypoint wrapper, args unchanged, when the pool gives ulimits that way', () => {
    const tuned = api({ command: ['/app/api'], args: ['--port', '8080'], tuning: { ulimits: { nofile: { soft: 65536, hard: 1048576 } } } });
    const { objects, diagnostics } = emit(environment([tuned], { targets: { kubernetes: { cluster: 'c', version: '1.31', secretStore: { name: 'vault' }, ulimits: 'entrypoint' } } }));
    expect(diagnostics).toEqual([]);
    const container = objects.get('deployment-api.yaml')?.spec.template.spec.containers[0];
    expect(container.command).toEqual(['/bin/sh', '-c', 'ulimit -S -n 65536 && ulimit -H -n 1048576 && exec "$@"', 'kiln-ulimits', '/app/api']);
    expect(container.args).toEqual(['--port', '8080']);
  });

  it("writes a pool's node-level sysctls with a privileged DaemonSet in a namespace of its own, before everything else", () => {
    const tuned = api({ tuning: { sysctls: { 'net.core.netdev_max_backlog': 5000, 'vm.max_map_count': 262144 } } });
    const pool = { name: 'tuned', nodeSelector: { 'kiln.dev/node-pool': 'tuned' }, nodeSysctls: 'daemonset' as const };
    const { objects, diagnostics } = emit(environment([tuned], { targets: { kubernetes: { cluster: 'c', version: '1.31', secretStore: { name: 'vault' }, nodePools: [pool] } } }));
    expect(diagnostics).toEqual([]);
    const wave = (file: string) => Number(objects.get(file)?.metadata.annotations['argocd.argoproj.io/sync-wave']);
    const namespace = objects.get('namespace-shop-prod-node-tuning.yaml');
    expect(namespace?.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    // The workloads' namespace keeps the restricted level.
    expect(objects.get('namespace-shop-prod.yaml')?.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const policy = objects.get('networkpolicy-node-tuning-deny-all.yaml');
    expect(policy?.metadata.namespace).toBe('shop-prod-node-tuning');
    expect(policy?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const daemonSet = objects.get('daemonset-node-sysctls-tuned.yaml');
    expect(daemonSet?.metadata.namespace).toBe('shop-prod-node-tuning');
    expect(wave('namespace-shop-prod-node-tuning.yaml')).toBeLessThan(wave('daemonset-node-sysctls-tuned.yaml'));
    expect(wave('daemonset-node-sysctls-tuned.yaml')).toBe(wave('networkpolicy-node-tuning-deny-all.yaml'));
    expect(wave('daemonset-node-sysctls-tuned.yaml')).toBeLessThan(wave('namespace-shop-prod.yaml'));
    const pod = daemonSet?.spec.template.spec;
    expect(pod.nodeSelector).toEqual({ 'kiln.dev/node-pool': 'tuned' });
    expect(pod.hostNetwork).toBe(true);
    expect(pod.initContainers[0].securityContext).toEqual({ privileged: true, runAsUser: 0, runAsNonRoot: false });
    expect(pod.initContainers[0].command[2]).toContain("apply 'net.core.netdev_max_backlog' '5000'\napply 'vm.max_map_count' '262144'\n");
    expect(pod.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(daemonSet?.spec.selector.matchLabels).toEqual(pick(daemonSet?.spec.template.metadata.labels, ['app.kubernetes.io/name', 'app.kubernetes.io/instance']));
    for (const object of objects.values()) expect(validateObject(object as never)).toEqual([]);
  });

  it('emits no node tuning where no pool asks for a DaemonSet', () => {
    const tuned = api({ tuning: { sysctls: { 'vm.max_map_count': 262144 } } });
    const { objects } = emit(environment([tuned], { targets: { kubernetes: { cluster: 'c', version: '1.31', secretStore: { name: 'vault' }, nodePools: [{ name: 'tuned', nodeSelector: {} }] } } }));
    expect([...objects.keys()].filter((file) => file.includes('node-tuning') || file.startsWith('daemonset-'))).toEqual([]);
  });

  it('emits nothing without a kubernetes target', () => {
    expect(kubernetesEmitter.emit(environment([api()], { targets: { compose: {} } })).outputs).toEqual([]);
  });
});
