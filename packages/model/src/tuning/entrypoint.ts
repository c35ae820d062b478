/**
 * The entrypoint wrapper, for Kubernetes, which has no ulimit field (kubernetes#3595): the container's
 * command runs under a shell that sets the limits first,
 * `/bin/sh -c 'ulimit -S -n 65536 && ulimit -H -n 65536 && exec "$@"' kiln-ulimits <command…>`.
 * Without CAP_SYS_RESOURCE (Kiln's containers drop every capability) a process may move its soft limit
 * up to its hard one and lower its hard one, never raise it: the runtime's hard limit must already be
 * at least the need, or `ulimit` fails and the container exits before the command starts, rather than
 * running with less. Soft first: the hard limit cannot drop below the current soft one.
 */
import type { Ulimit } from '../model.js';
import { SHELL_ULIMITS } from './ulimits.js';

/** `$0` of the wrapper's shell: it names the wrapper in the shell's error messages. */
export const WRAPPER_NAME = 'kiln-ulimits';

/** The wrapped command, or `undefined` when no limit has a shell flag. `limits` holds only items of {@link SHELL_ULIMITS}. */
export function entrypointCommand(command: readonly string[], limits: Readonly<Record<string, Ulimit>>): string[] | undefined {
  const steps = Object.entries(limits).flatMap(([item, limit]) => {
    const shell = SHELL_ULIMITS[item];
    if (!shell) throw new Error(`entrypointCommand: ${item} has no shell flag; the placement should have refused it`);
    const value = (n: number) => Math.ceil(n / shell.unit);
    return [`ulimit -S -${shell.flag} ${value(limit.soft)}`, `ulimit -H -${shell.flag} ${value(limit.hard)}`];
  });
  if (steps.length === 0) return undefined;
  return ['/bin/sh', '-c', [...steps, 'exec "$@"'].join(' && '), WRAPPER_NAME, ...command];
}
