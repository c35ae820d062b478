/**
 * Diagnostics and results for people (one block each, coloured on a terminal) or for tools: JSON
 * lines, each with a `type`, as output.schema.json describes them.
 */
import type { Diagnostic } from '@kiln/core';
import { environmentOf } from '@kiln/core/layout';

export interface Io {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export interface Reporter {
  diagnostics(diagnostics: readonly Diagnostic[]): void;
  /** A line of progress, for people; JSON mode prints it as `{"type": "message", "message": …}`. */
  info(text: string): void;
  /** A result: for tools the record (on stdout), for people the text, a line (none without it). */
  result(record: OutputRecord, text?: string): void;
  error(text: string): void;
  /** A command line Kiln cannot run, and what to do instead. */
  usage(text: string, hint: string): void;
}

export function reporter(io: Io, json: boolean): Reporter {
  const colour = !json && io.stderr.isTTY === true && io.env.NO_COLOR === undefined;
  const paint = (code: number, text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  return {
    diagnostics(diagnostics) {
      if (json) {
        for (const d of diagnostics) io.stderr.write(`${JSON.stringify(diagnosticRecord(d))}\n`);
        return;
      }
      const where = (d: Diagnostic) => (d.path ? `${d.file}: ${d.path}` : d.file);
      // Errors in full; warnings one line each, so they do not bury the errors and the result. A fix
      // every warning of a code shares is said once for the code; any other under its own warning.
      const warnings = diagnostics.filter((d) => d.severity === 'warning');
      const fixes = new Map<string, Set<string | undefined>>();
      for (const d of warnings) fixes.set(d.code, (fixes.get(d.code) ?? new Set()).add(d.hint));
      for (const d of warnings) {
        const own = d.hint !== undefined && fixes.get(d.code)?.size !== 1;
        io.stderr.write(`${paint(33, 'warning')} ${paint(1, d.code)} ${where(d)}: ${d.message}\n${own ? `  fix: ${d.hint}\n` : ''}`);
      }
      for (const [code, [hint, ...others]] of fixes) if (hint !== undefined && others.length === 0) io.stderr.write(`  fix for ${code}: ${hint}\n`);
      for (const d of diagnostics.filter((d) => d.severity === 'error')) {
        // A message can span lines (a syntax error shows its line): each is indented under the heading.
        io.stderr.write(`${paint(31, 'error')} ${paint(1, d.code)} ${where(d)}\n${d.message.replace(/^(?=.)/gm, '  ')}\n${d.hint ? `  fix: ${d.hint}\n` : ''}`);
      }
      const errors = diagnostics.length - warnings.length;
      if (diagnostics.length > 0) io.stderr.write(`${errors} error${errors === 1 ? '' : 's'}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}\n`);
    },
    info(text) {
      io.stdout.write(json ? `${JSON.stringify({ type: 'message', message: text })}\n` : `${text}\n`);
    },
    result(record, text) {
      if (json) io.stdout.write(`${JSON.stringify(record)}\n`);
      else if (text !== undefined) io.stdout.write(`${text}\n`);
    },
    error(text) {
      io.stderr.write(json ? `${JSON.stringify({ type: 'error', message: text })}\n` : `${paint(31, 'error')} ${text}\n`);
    },
    usage(text, hint) {
      io.stderr.write(json ? `${JSON.stringify({ type: 'usage', message: text, fix: hint })}\n` : `kiln: ${text}\n${hint}\n`);
    },
  };
}

/** One line of --json output: what it is (`diagnostic`, `drift`, `summary`, …), then its fields. */
export type OutputRecord = { readonly type: string } & Readonly<Record<string, unknown>>;

/** A diagnostic for tools: every field always present (null where there is none), `hint` named `fix`. */
export function diagnosticRecord(d: Diagnostic): OutputRecord {
  return {
    type: 'diagnostic',
    code: d.code,
    severity: d.severity,
    file: d.file,
    line: d.line ?? null,
    column: d.column ?? null,
    path: d.path,
    message: d.message,
    fix: d.hint ?? null,
    environment: environmentOf(d.file) ?? null,
  };
}

/** Rows as columns for people: every column but the last padded to its widest cell, two spaces apart. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, column) => Math.max(...rows.map((cells) => cells[column]?.length ?? 0)));
  return rows.map((cells) => `${cells.map((cell, column) => (column < cells.length - 1 ? cell.padEnd(widths[column] ?? 0) : cell)).join('  ')}\n`).join('');
}
