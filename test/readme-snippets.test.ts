/**
 * Every TypeScript snippet in the README typechecks as an environment file would: each is compiled,
 * in memory, as if it were a file in environments/ (so `./systems/rpcnet.js` resolves to the real
 * system), under the repository's own compiler settings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const snippets = [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');

function typecheck(source: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!config) throw new Error('tsconfig.json did not parse');
  const file = join(root, 'environments', '__readme_snippet__.ts');
  const host = ts.createCompilerHost(config.options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) => (name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], config.options, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => `${d.start === undefined ? '' : `line ${ts.getLineAndCharacterOfPosition(d.file as ts.SourceFile, d.start).line + 1}: `}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe('README TypeScript snippets', () => {
  it('exist', () => {
    expect(snippets.length).toBeGreaterThan(0);
  });

  it.each(snippets.map((source, index) => [index + 1, source] as const))('snippet %i typechecks as an environment file', (_, source) => {
    expect(typecheck(source)).toEqual([]);
  }, 120_000);
});
