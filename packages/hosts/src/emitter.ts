/**
 * The hosts emitter: the host profiles and units the model's tuning placement filled, as files under
 * `<env>/host/`: `sysctl.d/90-<profile>.conf`, `limits.d/90-<profile>.conf` and
 * `systemd/<unit>.d/90-kiln-limits.conf`. A profile with nothing of a kind gets no file of that kind,
 * so a target that needs no host tuning gets no host/ folder.
 */
import type { EmitResult, Emitter, Output } from '@kiln/core';
import { hostFiles } from '@kiln/model';
import type { Environment } from '@kiln/model';
import { limitsConf } from './limits-conf.js';
import { sysctlConf } from './sysctl-conf.js';
import { limitsDropIn } from './systemd.js';

export const hostsEmitter: Emitter = { name: 'hosts', emit: emitHosts };

function emitHosts(environment: Environment): EmitResult {
  const folder = `${environment.name}/host`;
  const outputs: Output[] = [];
  for (const profile of environment.tuning.profiles) {
    if (profile.sysctls.length > 0) outputs.push({ path: `${folder}/${hostFiles.sysctl(profile.name)}`, format: 'conf', text: sysctlConf(profile) });
    if (profile.limits.length > 0) outputs.push({ path: `${folder}/${hostFiles.limits(profile.name)}`, format: 'conf', text: limitsConf(profile) });
  }
  for (const unit of environment.tuning.units) {
    if (unit.limits.length > 0) outputs.push({ path: `${folder}/${hostFiles.dropIn(unit.unit)}`, format: 'conf', text: limitsDropIn(unit) });
  }
  return { outputs, diagnostics: [] };
}
