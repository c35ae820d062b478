/**
 * Rules on TLS and public routes: TLS only on TCP ports of a service that says where it reads its
 * certificate, an issuer for the certificates Kiln issues on Kubernetes, routes only to plain HTTP
 * ports that are public and a Gateway to attach them to, source ranges where something enforces
 * them, and `url()` references to ports whose scheme Kiln knows.
 */
import { ModelCode } from './codes.js';
import type { Issue } from './diagnostic.js';
import type { ParsedEnvironment } from './environment.js';
import { suggestName } from './names.js';
import { own } from './records.js';

type ParsedService = ParsedEnvironment['systems'][number]['services'][number];
type ParsedPort = ParsedService['ports'][number];
type Path = (string | number)[];
type Services = ReadonlyMap<string, { service: ParsedService; path: Path }>;

export function checkTls(env: ParsedEnvironment, services: Services): Issue[] {
  const issues: Issue[] = [];
  const issued: string[] = [];
  for (const { service, path } of services.values()) {
    service.ports.forEach((port, p) => {
      if (!port.tls) return;
      const at = [...path, 'ports', p, 'tls'];
      if (port.protocol === 'UDP') {
        issues.push({
          code: ModelCode.TLS_ON_UDP,
          path: at,
          message: `port '${port.name}' of service '${service.name}' is UDP; TLS runs over TCP`,
          hint: "remove tls from the port (QUIC and DTLS carry their own handshake: the service's tls files still get a certificate), or make the port TCP",
        });
      } else if (!service.tls) {
        issues.push({
          code: ModelCode.TLS_FILES_MISSING,
          path: at,
          message: `port '${port.name}' of service '${service.name}' serves TLS, but the service does not say where it reads its certificate`,
          hint: "add tls: { certificate: '/certs/server.crt', key: '/certs/server.key' } to the service, with the paths the process reads",
        });
      }
    });
    const metrics = service.ports.find((port) => port.name === service.metrics?.port);
    if (metrics?.tls) {
      issues.push({
        code: ModelCode.TLS_METRICS_PORT,
        path: [...path, 'metrics', 'port'],
        message: `service '${service.name}' serves metrics on port '${metrics.name}', which serves TLS; Kiln's scrape configurations use plain HTTP`,
        hint: 'serve metrics on a port of their own without tls',
      });
    }
    if (service.tls && service.tls.secret === undefined) issued.push(service.name);
    const override = own(env.overrides, service.name);
    issues.push(...checkRoutes(env, service, override), ...checkUrls(service, path, override, services));
  }
  if (env.targets.kubernetes && !env.targets.kubernetes.tls && issued.length > 0) {
    issues.push({
      code: ModelCode.TLS_ISSUER_MISSING,
      path: ['targets', 'kubernetes'],
      message: `${issued.map((name) => `'${name}'`).join(', ')} ${issued.length > 1 ? 'read certificates' : 'reads a certificate'} that Kiln issues with cert-manager, but the Kubernetes target names no issuer`,
      hint: "name the cert-manager issuer: tls: { issuer: { name: 'internal-ca', kind: 'ClusterIssuer' } }, or give the service's tls a secret from the store",
    });
  }
  return issues;
}

function checkRoutes(env: ParsedEnvironment, service: ParsedService, override: ParsedEnvironment['overrides'][string] | undefined): Issue[] {
  const issues: Issue[] = [];
  const base = ['overrides', service.name];
  const kubernetes = env.targets.kubernetes;
  for (const name of Object.keys(override?.hostnames ?? {})) {
    const at = [...base, 'hostnames', name];
    const port = service.ports.find((p) => p.name === name);
    if (!port) {
      issues.push({ code: ModelCode.UNKNOWN_PORT, path: at, message: `service '${service.name}' has no port '${name}'`, hint: suggestName(name, service.ports.map((p) => p.name), 'ports') });
      continue;
    }
    if (!isPlainHttp(port)) {
      issues.push({
        code: ModelCode.ROUTE_NOT_HTTP,
        path: at,
        message: `port '${name}' of service '${service.name}' is ${port.tls ? 'TLS' : port.protocol === 'UDP' ? 'UDP' : 'not declared HTTP'}; an HTTPRoute carries plain HTTP from the Gateway, which terminates TLS`,
        hint: port.tls
          ? 'route to a port without tls (the Gateway holds the public certificate), or leave the port on a LoadBalancer without hostnames'
          : "declare appProtocol: 'http' (or 'ws') on the port if it speaks HTTP; other protocols stay on a LoadBalancer without hostnames",
      });
    }
    if (port.expose !== 'public') {
      issues.push({ code: ModelCode.ROUTE_NOT_PUBLIC, path: at, message: `port '${name}' of service '${service.name}' is internal; only public ports take public host names`, hint: "set expose: 'public' on the port, or remove its hostnames" });
    }
    if (!kubernetes?.gateway) {
      issues.push({
        code: ModelCode.GATEWAY_MISSING,
        path: at,
        message: kubernetes
          ? `port '${name}' of service '${service.name}' has host names, but the Kubernetes target names no Gateway to route them through`
          : `port '${name}' of service '${service.name}' has host names, which route through a Kubernetes Gateway; this environment has no Kubernetes target`,
        hint: kubernetes ? "name the Gateway: targets.kubernetes.gateway: { name: 'public', namespace: 'gateway' }" : 'remove the hostnames; Compose and hosts publish the port itself',
      });
    }
  }
  if (override?.sourceRanges) {
    const at = [...base, 'sourceRanges'];
    const balanced = service.ports.filter((port) => port.expose === 'public' && own(override.hostnames ?? {}, port.name) === undefined);
    if (!kubernetes) {
      issues.push({
        code: ModelCode.SOURCE_RANGES_UNUSED,
        path: at,
        message: `nothing would enforce the source ranges of service '${service.name}': they limit a Kubernetes LoadBalancer, and this environment has no Kubernetes target`,
        hint: "remove them and restrict the published ports in the host's firewall",
      });
    } else if (balanced.length === 0) {
      issues.push({
        code: ModelCode.SOURCE_RANGES_UNUSED,
        path: at,
        message: `service '${service.name}' has no public port on a LoadBalancer for the source ranges to limit`,
        hint: 'remove them; routed ports are restricted at the Gateway',
      });
    }
  }
  return issues;
}

/** `url()` values: a service of the environment, one of its ports, and a scheme for it. */
function checkUrls(service: ParsedService, path: Path, override: ParsedEnvironment['overrides'][string] | undefined, services: Services): Issue[] {
  const issues: Issue[] = [];
  const values = [...Object.entries(service.env).map(([name, value]) => ({ value, at: [...path, 'env', name] })), ...Object.entries(override?.env ?? {}).map(([name, value]) => ({ value, at: ['overrides', service.name, 'env', name] }))];
  for (const { value, at } of values) {
    if (typeof value !== 'object' || !('url' in value)) continue;
    const { service: name, port: portName } = value.url;
    const target = services.get(name)?.service;
    if (!target) {
      issues.push({ code: ModelCode.UNKNOWN_SERVICE, path: [...at, 'url', 'service'], message: `there is no service '${name}' in this environment`, hint: suggestName(name, services.keys(), 'services') });
      continue;
    }
    const port = target.ports.find((p) => p.name === portName);
    if (!port) {
      issues.push({ code: ModelCode.UNKNOWN_PORT, path: [...at, 'url', 'port'], message: `service '${name}' has no port '${portName}'`, hint: suggestName(portName, target.ports.map((p) => p.name), 'ports') });
    } else if (port.appProtocol === undefined) {
      issues.push({
        code: ModelCode.URL_NOT_HTTP,
        path: [...at, 'url', 'port'],
        message: `port '${portName}' of service '${name}' declares no appProtocol, so Kiln cannot choose the URL's scheme`,
        hint: "declare appProtocol: 'http' or 'ws' on the port, or write the address as text",
      });
    }
  }
  return issues;
}

function isPlainHttp(port: ParsedPort): boolean {
  return port.protocol === 'TCP' && port.appProtocol !== undefined && !port.tls;
}
