/** Diagnostic codes of the command line's own commands; the compiler's are in each package's codes.ts. */
export const CliCode = {
  /** `kiln init` would write a file that exists: it writes nothing. */
  INIT_FILE_EXISTS: 'INIT_FILE_EXISTS',
} as const;
export type CliCode = (typeof CliCode)[keyof typeof CliCode];
