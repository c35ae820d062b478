/**
 * What an editor shows in an environment file: the TypeScript language service, over a committed
 * environment file under the repository's tsconfig.json, finds each field's TSDoc and its `@default`
 * on hover and in completion, through @kiln/model's published declarations (dist/*.d.ts), as
 * VS Code's TypeScript server does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const file = join(root, 'environments', 'veza-staging.ts');
const text = readFileSync(file, 'utf8');

function languageService(): ts.LanguageService {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (config === undefined) throw new Error('tsconfig.json did not parse');
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => config.options,
    getScriptFileNames: () => [file],
    getScriptVersion: () => '0',
    getScriptSnapshot: (name) => {
      const content = ts.sys.readFile(name);
      return content === undefined ? undefined : ts.ScriptSnapshot.fromString(content);
    },
    getCurrentDirectory: () => root,
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
    realpath: (path) => ts.sys.realpath?.(path) ?? path,
  };
  return ts.createLanguageService(host, ts.createDocumentRegistry());
}

/** The offset of `word` in the first place `context` (which contains it) occurs in the file. */
function at(context: string, word: string): number {
  const start = text.indexOf(context);
  if (start < 0 || !context.includes(word)) throw new Error(`veza-staging.ts no longer has ${JSON.stringify(context)}: pick another position`);
  return start + context.indexOf(word);
}

interface Shown {
  readonly documentation: string;
  readonly defaultTag: string | undefined;
}

function shown(documentation: ts.SymbolDisplayPart[] | undefined, tags: readonly ts.JSDocTagInfo[] | undefined): Shown {
  const defaultTag = tags?.find((tag) => tag.name === 'default');
  return { documentation: ts.displayPartsToString(documentation), defaultTag: defaultTag && ts.displayPartsToString(defaultTag.text) };
}

describe('the editor, in an environment file', () => {
  let service: ts.LanguageService;
  beforeAll(() => {
    service = languageService();
  });

  function hover(context: string, word: string): Shown {
    const info = service.getQuickInfoAtPosition(file, at(context, word));
    return shown(info?.documentation, info?.tags);
  }

  it('shows a field’s TSDoc on hover, with its @default', () => {
    expect(hover("stage: 'staging'", 'stage').documentation).toMatch(/^Decides the rules that apply/);
    expect(hover('      autoscaling: { minReplicas: 1, maxReplicas: 1 },\n    },', 'autoscaling').documentation).toBe('Autoscaling bounds for this environment.');
    expect(hover("volumeSizes: { data: '20Gi' }", 'volumeSizes').documentation).toBe('Volume sizes by volume name.');
    // Fields of schemas declared in other files of the model (targets, monitoring) as well.
    expect(hover("compose: { hostProfile: 'docker-host' }", 'hostProfile')).toEqual({
      documentation: "The Docker host's profile: node-level sysctls of the services land in `host/sysctl.d/90-<profile>.conf`.",
      defaultTag: "'docker-host'",
    });
    expect(hover('runbookBaseUrl: RUNBOOKS', 'runbookBaseUrl').documentation).toMatch(/^Web address of generated\//);
    expect(hover("overrides: {\n    'stream-server'", 'overrides')).toEqual({ documentation: 'Per-service overrides, by service name.', defaultTag: '{}' });
  });

  it('lists a service override’s fields in completion, each with its TSDoc', () => {
    const position = at('redis: { volumeSizes', '{ volumeSizes') + 2;
    const completions = service.getCompletionsAtPosition(file, position, {});
    const names = completions?.entries.map((entry) => entry.name) ?? [];
    expect(names).toEqual(expect.arrayContaining(['replicas', 'autoscaling', 'resources', 'env', 'nodePool', 'database', 'hostnames']));
    const details = (name: string): Shown => {
      const entry = service.getCompletionEntryDetails(file, position, name, {}, undefined, {}, undefined);
      return shown(entry?.documentation, entry?.tags);
    };
    expect(details('replicas').documentation).toMatch(/^Fixed replica count for this environment/);
    expect(details('resources').documentation).toBe("Requests and limits merged over the service's, resource by resource.");
  });

  it('gives a field’s @default in completion', () => {
    const position = at('targets: { compose: { hostProfile', '{ hostProfile') + 2;
    const entry = service.getCompletionEntryDetails(file, position, 'secretsDir', {}, undefined, {}, undefined);
    expect(shown(entry?.documentation, entry?.tags)).toEqual({
      documentation: 'Directory, relative to the Compose file, holding one file per secret.',
      defaultTag: "'./secrets'",
    });
  });
});
