/** Diagnostics for people (one block each, coloured on a terminal) or for tools (JSON lines). */
import type { Diagnostic } from '@kiln/core';

export interface Io {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export interface Reporter {
  diagnostics(diagnostics: readonly Diagnostic[]): void;
  /** A line of progress or result, for people; JSON mode prints it as `{"message": …}`. */
  info(text: string): void;
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
        for (const d of diagnostics) io.stderr.write(`${JSON.stringify(d)}\n`);
        return;
      }
      const where = (d: Diagnostic) => (d.path ? `${d.file}: ${d.path}` : d.file);
      // Errors in full; warnings one line each, their fix said once per code, so they do not bury
      // the errors and the result.
      const warnings = diagnostics.filter((d) => d.severity === 'warning');
      for (const d of warnings) io.stderr.write(`${paint(33, 'warning')} ${paint(1, d.code)} ${where(d)}: ${d.message}\n`);
      const fixes = new Map(warnings.filter((d) => d.hint).map((d) => [d.code, d.hint]));
      for (const [code, hint] of fixes) io.stderr.write(`  fix for ${code}: ${hint}\n`);
      for (const d of diagnostics.filter((d) => d.severity === 'error')) {
        // A message can span lines (a syntax error shows its line): each is indented under the heading.
        io.stderr.write(`${paint(31, 'error')} ${paint(1, d.code)} ${where(d)}\n${d.message.replace(/^(?=.)/gm, '  ')}\n${d.hint ? `  fix: ${d.hint}\n` : ''}`);
      }
      const errors = diagnostics.length - warnings.length;
      if (diagnostics.length > 0) io.stderr.write(`${errors} error${errors === 1 ? '' : 's'}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}\n`);
    },
    info(text) {
      io.stdout.write(json ? `${JSON.stringify({ message: text })}\n` : `${text}\n`);
    },
    error(text) {
      io.stderr.write(json ? `${JSON.stringify({ error: text })}\n` : `${paint(31, 'error')} ${text}\n`);
    },
    usage(text, hint) {
      io.stderr.write(json ? `${JSON.stringify({ error: text, hint })}\n` : `kiln: ${text}\n${hint}\n`);
    },
  };
}

/** Rows as columns for people: every column but the last padded to its widest cell, two spaces apart. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, column) => Math.max(...rows.map((cells) => cells[column]?.length ?? 0)));
  return rows.map((cells) => `${cells.map((cell, column) => (column < cells.length - 1 ? cell.padEnd(widths[column] ?? 0) : cell)).join('  ')}\n`).join('');
}
