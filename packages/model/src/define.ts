/**
 * What environment files call. The helpers check nothing themselves (Kiln validates everything at
 * once, with file and path); they give the editor types and remember which file defined a system.
 */
import type { EnvironmentInput } from './environment.js';
import type { SecretRefInput } from './service.js';
import type { SystemInput } from './system.js';

/** Where a system was defined, kept off the data (a symbol key is invisible to the schema). */
export const SOURCE: unique symbol = Symbol.for('kiln.source') as never;

/** Defines a system once; environments instantiate it. */
export function defineSystem(system: SystemInput): SystemInput {
  const source = callerFile();
  if (source !== undefined) Object.defineProperty(system, SOURCE, { value: source, enumerable: false });
  return system;
}

/** Defines an environment; the file's default export. */
export function defineEnvironment(environment: EnvironmentInput): EnvironmentInput {
  return environment;
}

/** A reference to a secret kept outside git: `JWT_SECRET: secret('jwt-secret')`. */
export function secret(name: string, key?: string): SecretRefInput {
  return key === undefined ? { secret: name } : { secret: name, key };
}

/** The file a system was defined in, as the stack names it (a path or a file: URL). */
export function sourceOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? ((value as Record<symbol, unknown>)[SOURCE] as string | undefined) : undefined;
}

function callerFile(): string | undefined {
  // Frames: Error, callerFile, defineSystem, the system file.
  const frame = new Error().stack?.split('\n')[3] ?? '';
  const match = /\((.+?):\d+:\d+\)$/.exec(frame) ?? /at (.+?):\d+:\d+$/.exec(frame);
  return match?.[1];
}
