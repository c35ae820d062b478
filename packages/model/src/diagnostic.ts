/**
 * User mistakes are data: collected, reported together, never thrown. Every package reports through
 * this one shape; bugs in Kiln itself throw instead.
 */
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Stable SCREAMING_SNAKE code; tests and tooling match on it, never on the message. */
  readonly code: string;
  readonly severity: Severity;
  /** The source file, relative to the repository root (`environments/rpcnet-us-east.ts`). */
  readonly file: string;
  /** Where inside that file's input (`services[worker].resources.limits.memory`); empty for the file. */
  readonly path: string;
  /** The line (from 1) and column (from 1) in the file, where known (a syntax error). */
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
  /** What to do about it. */
  readonly hint?: string;
}

/** A diagnostic before it knows which file it belongs to: rules see data, the core knows files. */
export interface Issue {
  readonly code: string;
  readonly severity?: Severity;
  /** Path segments into the input; numbers index arrays. */
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly hint?: string;
}
