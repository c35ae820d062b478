/**
 * TLS between services and public routes, as every target sees it: the files a service's
 * certificate lands in, the secret that holds it, and the URL of a port, whose scheme follows what
 * the port speaks and whether it serves TLS.
 */
import type { Port } from './model.js';

/** The keys of a `kubernetes.io/tls` Secret, as cert-manager writes them. */
export const TLS_KEYS = { certificate: 'tls.crt', key: 'tls.key', ca: 'ca.crt' } as const;

interface TlsFiles {
  readonly certificate: string;
  readonly key: string;
  readonly ca?: string | undefined;
  readonly secret?: string | undefined;
}

/** The secret holding a service's certificate: the one named, else `<service>-tls`, which Kiln issues. */
export function tlsSecretName(service: { readonly name: string; readonly tls?: TlsFiles | undefined }): string | undefined {
  return service.tls ? (service.tls.secret ?? `${service.name}-tls`) : undefined;
}

/** A service's TLS files as secret files: where the process reads each key of its certificate's secret. */
export function tlsSecretFiles(service: { readonly name: string; readonly tls?: TlsFiles | undefined }): { path: string; secret: string; key: string; field: keyof typeof TLS_KEYS }[] {
  const tls = service.tls;
  const secret = tlsSecretName(service);
  if (!tls || secret === undefined) return [];
  return (['certificate', 'key', 'ca'] as const).flatMap((field) => {
    const path = tls[field];
    return path === undefined ? [] : [{ path, secret, key: TLS_KEYS[field], field }];
  });
}

/**
 * The URL of a port at a host: `http`/`ws`, or `https`/`wss` when the port serves TLS. Undefined for a
 * port that declares no `appProtocol` (the rules report it).
 */
export function portUrl(port: Pick<Port, 'port' | 'appProtocol' | 'tls'>, host: string, path = ''): string | undefined {
  if (port.appProtocol === undefined) return undefined;
  return `${port.appProtocol}${port.tls ? 's' : ''}://${host}:${port.port}${path}`;
}

/** A port the environment routes through its Gateway (it has host names). */
export function isRouted(port: Pick<Port, 'hostnames'>): boolean {
  return port.hostnames !== undefined;
}

/** Public ports a load balancer carries (on Kubernetes, the `<service>-public` Service): those without a route. */
export function loadBalancedPorts(service: { readonly ports: readonly Port[] }): Port[] {
  return service.ports.filter((port) => port.expose === 'public' && !isRouted(port));
}
