/**
 * What emitters return: structured outputs, never serialized text. The core serializes them with
 * one YAML serializer and puts the do-not-edit header on every file that can carry one.
 */
import type { Diagnostic, Environment } from '@kiln/model';

export type Output =
  /** One YAML document. */
  | { readonly path: string; readonly format: 'yaml'; readonly data: unknown }
  /** JSON, which cannot carry a header; the manifest covers it. */
  | { readonly path: string; readonly format: 'json'; readonly data: unknown }
  | { readonly path: string; readonly format: 'markdown'; readonly text: string }
  /** A `#`-commented text file (sysctl.d, limits.d, systemd drop-ins). */
  | { readonly path: string; readonly format: 'conf'; readonly text: string }
  /** Bytes as the author wrote them (a service's own configuration file): no header. */
  | { readonly path: string; readonly format: 'raw'; readonly text: string };

export interface EmitResult {
  readonly outputs: readonly Output[];
  readonly diagnostics: readonly Diagnostic[];
  /**
   * Paths in generated/ the operator fills in and Kiln neither writes nor reports (a Compose `.env`
   * with secret values); a path ending in `/` reserves a folder.
   */
  readonly reserved?: readonly string[];
}

/**
 * One output kind. Pure: no clock, disk, network or environment variables; the same environment
 * gives the same outputs. Paths are relative to generated/.
 */
export interface Emitter {
  readonly name: string;
  emit(environment: Environment): EmitResult;
}

/** Generated file contents by path (relative to generated/), in sorted order. */
export type FileMap = ReadonlyMap<string, string>;

/** What one environment's emitters made: what a repository emitter reads. */
export interface EnvironmentOutputs {
  readonly environment: Environment;
  readonly outputs: readonly Output[];
}

/**
 * An output kind that sees every environment at once (Argo CD's projects and applications, which
 * span environments). As pure as `Emitter`: its outputs live in folders no environment owns.
 */
export interface RepositoryEmitter {
  readonly name: string;
  emit(environments: readonly EnvironmentOutputs[]): EmitResult;
}
