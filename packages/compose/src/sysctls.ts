/**
 * Sysctls a container can set. Docker and runc accept only namespaced keys (`kernel.msg*`,
 * `kernel.sem`, `kernel.shm*`, `fs.mqueue.*`, `net.*` minus a few node-wide ones); anything else
 * fails at container start with "sysctl … is not in a separate kernel namespace", although the
 * Compose schema accepts it. Node-level keys are left to the Docker host's profile (the model's
 * placement puts them there, and the hosts emitter writes it).
 */
import { sysctlNamespace } from '@kiln/model';
import type { Service } from '@kiln/model';

export function containerSysctls(service: Service): Record<string, string> {
  return Object.fromEntries(Object.entries(service.sysctls).filter(([key]) => sysctlNamespace(key) !== undefined));
}
