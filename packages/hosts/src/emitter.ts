/**
 * The hosts emitter: the host profiles and units the model's tuning placement filled, as files under
 * `<env>/host/`: `sysctl.d/90-<profile>.conf`, `limits.d/90-<profile>.conf`, the container runtime's
 * defaults of a Kubernetes pool's profile (`systemd/containerd.service.d/90-<profile>.conf` or
 * `crio/crio.conf.d/90-<profile>.conf`), and for every unit of a hosts target
 * `systemd/<unit>.d/90-kiln.conf` (restarts, stop signal and timeout, limits). A profile with nothing
 * of a kind gets no file of that kind, so a Compose or Kubernetes target that needs no host tuning
 * gets no host/ folder.
 */
import type { EmitResult, Emitter, Output } from '@kiln/core';
import { hostFiles, hostUnits } from '@kiln/model';
import type { Environment } from '@kiln/model';
import { limitsConf } from './limits-conf.js';
import { runtimeConf } from './runtime-conf.js';
import { sysctlConf } from './sysctl-conf.js';
import { unitDropIn } from './systemd.js';

export const hostsEmitter: Emitter = { name: 'hosts', emit: emitHosts };

function emitHosts(environment: Environment): EmitResult {
  const folder = `${environment.name}/host`;
  const outputs: Output[] = [];
  for (const profile of environment.tuning.profiles) {
    if (profile.sysctls.length > 0) outputs.push({ path: `${folder}/${hostFiles.sysctl(profile.name)}`, format: 'conf', text: sysctlConf(profile) });
    if (profile.limits.length > 0) outputs.push({ path: `${folder}/${hostFiles.limits(profile.name)}`, format: 'conf', text: limitsConf(profile) });
    if (profile.runtimeLimits.length > 0) {
      for (const runtime of profile.runtimes) outputs.push({ path: `${folder}/${hostFiles.runtime(runtime, profile.name)}`, format: 'conf', text: runtimeConf(runtime, profile) });
    }
  }
  // Every service on a machine is a systemd unit: each gets its restart and stop settings, and its limits.
  for (const { unit, service } of hostUnits(environment)) {
    const tuning = environment.tuning.units.find((u) => u.unit === unit);
    outputs.push({ path: `${folder}/${hostFiles.dropIn(unit)}`, format: 'conf', text: unitDropIn(unit, service, tuning) });
  }
  return { outputs, diagnostics: [] };
}
