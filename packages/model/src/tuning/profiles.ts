/**
 * A host profile while placement fills it, and the check that finishes it: one sysctl.d, limits.d and
 * runtime-defaults file per profile, whatever mix of machines, Docker host and node pools applies it.
 */
import { ModelCode } from '../codes.js';
import type { Issue } from '../diagnostic.js';
import { compareText } from '../model.js';
import type { ContainerRuntime } from '../model.js';
import type { HostProfile, ProfileLimit, ProfileSysctl, RuntimeLimit, TuningNeed } from './plan.js';
import { DEFAULT_NR_OPEN } from './ulimits.js';

type Path = readonly (string | number)[];

export interface ProfileDraft {
  readonly appliesTo: Set<string>;
  readonly sysctls: Map<string, { value: string; needs: TuningNeed[]; service: string; note?: string }>;
  readonly limits: Map<string, ProfileLimit>;
  /** nofile hard limits that must fit under fs.nr_open. */
  readonly nofile: { service: string; hard: number; path: Path }[];
  readonly runtimeLimits: Map<string, { soft: number; hard: number; needs: TuningNeed[] }>;
  readonly runtimes: Set<ContainerRuntime>;
}

export function emptyProfile(): ProfileDraft {
  return { appliesTo: new Set<string>(), sysctls: new Map(), limits: new Map(), nofile: [], runtimeLimits: new Map(), runtimes: new Set() };
}

/**
 * nofile against `fs.nr_open`: a profile whose services need more than the kernel's default gets
 * fs.nr_open raised in the same file; a service that set it lower is an error.
 */
export function finishProfile(name: string, draft: ProfileDraft, issues: Issue[]): HostProfile {
  const sysctls: ProfileSysctl[] = [...draft.sysctls]
    .map(([key, s]): ProfileSysctl => ({ key, value: s.value, needs: [...s.needs].sort((a, b) => compareText(a.service, b.service)) }));
  const highest = [...draft.nofile].sort((a, b) => b.hard - a.hard || compareText(a.service, b.service))[0];
  const explicit = draft.sysctls.get('fs.nr_open');
  if (highest && explicit) {
    const limit = Number(explicit.value);
    for (const nofile of draft.nofile.filter((n) => n.hard > limit)) {
      issues.push({
        code: ModelCode.NOFILE_ABOVE_NR_OPEN,
        path: nofile.path,
        message: `service '${nofile.service}' needs nofile ${nofile.hard}, above fs.nr_open ${limit} that '${explicit.service}' sets on host profile '${name}': the kernel refuses a limit above fs.nr_open, so the service would not start`,
        hint: `lower nofile to at most ${limit}, or raise fs.nr_open to ${nofile.hard}`,
      });
    }
  } else if (highest && highest.hard > DEFAULT_NR_OPEN) {
    sysctls.push({
      key: 'fs.nr_open',
      value: String(highest.hard),
      needs: [],
      note: `raised by Kiln: service '${highest.service}' needs nofile ${highest.hard}, above the kernel's default fs.nr_open ${DEFAULT_NR_OPEN}`,
    });
  }
  return {
    name,
    appliesTo: [...draft.appliesTo].sort(compareText),
    sysctls: sysctls.sort((a, b) => compareText(a.key, b.key)),
    limits: [...draft.limits.values()].sort((a, b) => compareText(`${a.domain}\u0000${a.item}`, `${b.domain}\u0000${b.item}`)),
    runtimeLimits: [...draft.runtimeLimits]
      .map(([item, l]): RuntimeLimit => ({ item, soft: l.soft, hard: l.hard, needs: [...l.needs].sort((a, b) => compareText(a.service, b.service)) }))
      .sort((a, b) => compareText(a.item, b.item)),
    runtimes: [...draft.runtimes].sort(compareText),
  };
}
