/**
 * Ports on one host. Public ports are published on the Docker host under their own number; internal
 * ones are only exposed to the networks the service is on. Everything runs on a single machine, so a
 * host port can be bound once: by one container of one service.
 */
import { sourcePath } from '@kiln/core';
import { baseReplicas } from '@kiln/model';
import type { Diagnostic, Environment, Port, Service } from '@kiln/model';
import { ComposeCode } from './codes.js';
import type { PublishedPort } from './compose-file.js';

export function publishedPorts(service: Service): PublishedPort[] {
  return service.ports
    .filter((port) => port.expose === 'public')
    .map((port) => ({ target: port.port, published: String(port.port), protocol: protocol(port) }));
}

/** `expose:` entries for internal ports: `"8080"`, `"30303/udp"`. */
export function exposedPorts(service: Service): string[] {
  return service.ports.filter((port) => port.expose === 'internal').map((port) => (port.protocol === 'UDP' ? `${port.port}/udp` : `${port.port}`));
}

function protocol(port: Port): 'tcp' | 'udp' {
  return port.protocol === 'UDP' ? 'udp' : 'tcp';
}

/** Errors for host ports that would be bound twice: by several replicas or members, or by two services. */
export function hostPortDiagnostics(environment: Environment, services: readonly Service[], systemSource: (service: Service) => string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const owners = new Map<string, string>();
  for (const service of services) {
    const published = service.ports.filter((port) => port.expose === 'public');
    if (published.length === 0) continue;
    const replicas = baseReplicas(service);
    if (replicas > 1) diagnostics.push(replicasDiagnostic(environment, service, published, replicas));
    for (const port of published) {
      const key = `${port.port}/${protocol(port)}`;
      const owner = owners.get(key);
      if (owner === undefined) {
        owners.set(key, service.name);
        continue;
      }
      diagnostics.push({
        code: ComposeCode.COMPOSE_HOST_PORT_CONFLICT,
        severity: 'error',
        file: systemSource(service),
        path: sourcePath(['services', { name: service.name }, 'ports', { name: port.name }, 'port']),
        message: `services '${owner}' and '${service.name}' both publish host port ${key}; a Compose environment runs on one host`,
        hint: `make the port of '${service.name}' internal, or give it another number`,
      });
    }
  }
  return diagnostics;
}

function replicasDiagnostic(environment: Environment, service: Service, published: readonly Port[], replicas: number): Diagnostic {
  const ports = published.map((port) => `${port.name} (${port.port})`).join(', ');
  const message = `service '${service.name}' runs ${replicas} ${service.stateful ? 'members' : 'replicas'} on one Compose host, and each would publish host port ${ports}`;
  if (service.stateful) {
    return {
      code: ComposeCode.COMPOSE_PUBLISHED_PORT_REPLICAS,
      severity: 'error',
      file: environment.source,
      path: sourcePath(['overrides', service.name, 'members']),
      message,
      hint: "override members to 1 for this Compose environment, or make the port 'internal': members reach each other on the service's network",
    };
  }
  const autoscaled = service.scaling.kind === 'autoscaled';
  return {
    code: ComposeCode.COMPOSE_PUBLISHED_PORT_REPLICAS,
    severity: 'error',
    file: environment.source,
    path: sourcePath(['overrides', service.name, ...(autoscaled ? ['autoscaling', 'minReplicas'] : ['replicas'])]),
    message,
    hint: `override ${autoscaled ? 'autoscaling.minReplicas' : 'replicas'} to 1 for this Compose environment, or make the port internal`,
  };
}
