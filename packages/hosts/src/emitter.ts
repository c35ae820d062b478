/**
 * The hosts emitter: the host profiles and units the model's tuning placement filled, as files under
 * `<env>/host/`: `sysctl.d/90-<profile>.conf`, `limits.d/90-<profile>.conf` and
 * `systemd/<unit>.d/90-kiln-limits.conf`. A profile with nothing of a kind gets no file of that kind,
 * so a target that needs no host tuning gets no host/ folder.
 */
import type { EmitResult, Emitter, Output } from '@kiln/core';
import type { Environment } from '@kiln/model';
import { limitsConf } from './limits-conf.js';
import { sysctlConf } from './sysctl-conf.js';
import { limitsDropIn } from './systemd.js';

/** Where the files sort among others in /etc: late, so they override distribution defaults. */
export const ORDER = '90';

export const hostsEmitter: Emitter = { name: 'hosts', emit: emitHosts };

function emitHosts(environment: Environment): EmitResult {
  const folder = `${environment.name}/host`;
  const outputs: Output[] = [];
  for (const profile of environment.tuning.profiles) {
    if (profile.sysctls.length > 0) outputs.push({ path: `${folder}/sysctl.d/${ORDER}-${profile.name}.conf`, format: 'conf', text: sysctlConf(profile) });
    if (profile.limits.length > 0) outputs.push({ path: `${folder}/limits.d/${ORDER}-${profile.name}.conf`, format: 'conf', text: limitsConf(profile) });
  }
  for (const unit of environment.tuning.units) {
    if (unit.limits.length > 0) outputs.push({ path: `${folder}/systemd/${unit.unit}.d/${ORDER}-kiln-limits.conf`, format: 'conf', text: limitsDropIn(unit) });
  }
  return { outputs, diagnostics: [] };
}
