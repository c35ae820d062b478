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
}

export function reporter(io: Io, json: boolean): Reporter {
  const colour = !json && io.stderr.isTTY === true && io.env.NO_COLOR === undefined;
  const paint = (code: number, text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  return {
    diagnostics(diagnostics) {
      for (const d of diagnostics) {
        if (json) {
          io.stderr.write(`${JSON.stringify(d)}\n`);
          continue;
        }
        const where = d.path ? `${d.file}: ${d.path}` : d.file;
        const severity = d.severity === 'error' ? paint(31, 'error') : paint(33, 'warning');
        io.stderr.write(`${severity} ${paint(1, d.code)} ${where}\n  ${d.message}\n${d.hint ? `  fix: ${d.hint}\n` : ''}`);
      }
      const errors = diagnostics.filter((d) => d.severity === 'error').length;
      const warnings = diagnostics.length - errors;
      if (!json && diagnostics.length > 0) io.stderr.write(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
    },
    info(text) {
      io.stdout.write(json ? `${JSON.stringify({ message: text })}\n` : `${text}\n`);
    },
    error(text) {
      io.stderr.write(json ? `${JSON.stringify({ error: text })}\n` : `${paint(31, 'error')} ${text}\n`);
    },
  };
}
