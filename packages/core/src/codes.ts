/** Diagnostic codes the core reports; the model's are in @kiln/model's ModelCode. */
export const CoreCode = {
  /** The environment file could not be loaded (syntax error, a throw, a missing import). */
  LOAD_FAILED: 'LOAD_FAILED',
  /** The environment file has no default export. */
  NO_DEFAULT_EXPORT: 'NO_DEFAULT_EXPORT',
  /** The default export is no object: null, a number, a string, an array, a function, a promise. */
  DEFAULT_EXPORT_INVALID: 'DEFAULT_EXPORT_INVALID',
  /** Reading the default export threw (a getter, a Proxy), or it cannot be copied as data. */
  EXPORT_UNREADABLE: 'EXPORT_UNREADABLE',
  /** The environment file did not finish loading in time (an endless loop, a timer that keeps it running). */
  LOAD_TIMEOUT: 'LOAD_TIMEOUT',
  /** The environment file called process.exit or set process.exitCode. */
  LOAD_EXIT: 'LOAD_EXIT',
  /** The environment file threw outside its evaluation (a timer, a callback) or left a promise rejected. */
  LOAD_UNCAUGHT: 'LOAD_UNCAUGHT',
  /** Two environment files give their environment the same name. */
  DUPLICATE_ENVIRONMENT: 'DUPLICATE_ENVIRONMENT',
  /** The environment's name differs from its file name. */
  ENV_NAME_MISMATCH: 'ENV_NAME_MISMATCH',
  /** Two outputs claim one path. */
  OUTPUT_PATH_CONFLICT: 'OUTPUT_PATH_CONFLICT',
  /** A file Kiln would write exists but was not written by Kiln. */
  FILE_NOT_OWNED: 'FILE_NOT_OWNED',
  /** A file in generated/ that Kiln neither wrote nor produces (Argo CD syncs it, in a kubernetes/ or argocd/ folder); Kiln leaves it alone. */
  UNKNOWN_FILE: 'UNKNOWN_FILE',
  /** A file Kiln wrote was edited by hand; generate overwrites it. */
  HAND_EDITED: 'HAND_EDITED',
  /** An output path that is no plain path inside generated/ (a bug in an emitter). */
  OUTPUT_PATH_INVALID: 'OUTPUT_PATH_INVALID',
  /** An environment name generated/ keeps for itself (`argocd`). */
  ENV_NAME_RESERVED: 'ENV_NAME_RESERVED',
  /** Something stands where Kiln must write or remove: a folder, a link, or a file where a folder goes (generated/ itself included). */
  PATH_BLOCKED: 'PATH_BLOCKED',
  /** generated/kiln-manifest.json cannot be trusted. */
  MANIFEST_UNREADABLE: 'MANIFEST_UNREADABLE',
  /** generated/.kiln-journal.jsonl is no journal Kiln can act on (forged, edited, or not a file). */
  JOURNAL_UNREADABLE: 'JOURNAL_UNREADABLE',
  /** A write to generated/ was cut off; the next generate finishes or rolls it back. */
  WRITE_INTERRUPTED: 'WRITE_INTERRUPTED',
  /** A command names an environment that has no file. */
  UNKNOWN_ENVIRONMENT: 'UNKNOWN_ENVIRONMENT',
} as const;
export type CoreCode = (typeof CoreCode)[keyof typeof CoreCode];
