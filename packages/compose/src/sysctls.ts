/**
 * Sysctls a container can set. Docker and runc accept only namespaced keys (`kernel.msg*`,
 * `kernel.sem`, `kernel.shm*`, `fs.mqueue.*`, `net.*` minus a few node-wide ones); anything else
 * fails at container start with "sysctl … is not in a separate kernel namespace", although the
 * Compose schema accepts it. Node-level keys are dropped here and reported.
 */
import { sourcePath } from '@kiln/core';
import { sysctlScope } from '@kiln/model';
import type { Diagnostic, Service } from '@kiln/model';
import { ComposeCode } from './codes.js';

export interface ContainerSysctls {
  readonly sysctls: Record<string, string>;
  readonly diagnostics: readonly Diagnostic[];
}

/** `file` is the source file of the service's system, where the sysctl is written. */
export function containerSysctls(service: Service, file: string): ContainerSysctls {
  const sysctls: Record<string, string> = {};
  const diagnostics: Diagnostic[] = [];
  for (const [key, value] of Object.entries(service.sysctls)) {
    if (sysctlScope(key) !== 'node') {
      sysctls[key] = value;
      continue;
    }
    diagnostics.push({
      code: ComposeCode.COMPOSE_SYSCTL_NODE_LEVEL,
      severity: 'warning',
      file,
      path: sourcePath(['services', { name: service.name }, 'tuning', 'sysctls', key]),
      message: `sysctl '${key}' of service '${service.name}' is node-level: it cannot be set in a container, so the Compose file leaves it out`,
      hint: "set it on the Docker host (/etc/sysctl.d); host profiles come with Kiln's host targets",
    });
  }
  return { sysctls, diagnostics };
}
