/**
 * `kiln init [SYSTEM]`: a first system and its development environment (Docker Compose) in a new
 * repository, ready for `kiln generate`; a package.json, tsconfig.json and .gitignore where there
 * are none. It never overwrites: a file already there stops it before anything is written.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ENVIRONMENTS_DIR, GENERATED_DIR } from '@kiln/core/layout';
import { isDns1123Label } from '@kiln/model';
import { CliCode } from './codes.js';
import type { Reporter } from './report.js';

const Exit = { ok: 0, input: 1, usage: 2 } as const;

/** The system's name as a TypeScript identifier: `rpc-net` → `rpcNet`. */
const identifier = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/^(?=\d)/, 'system');

function systemFile(name: string): string {
  return `/** The ${name} system: its services, defined once; each environment instantiates it. */
import { defineSystem } from '@kiln/model';

export const ${identifier(name)} = defineSystem({
  name: '${name}',
  services: [
    {
      // A first service to replace with your own: nginx, unprivileged, serving its welcome page.
      name: 'web',
      image: 'docker.io/nginxinc/nginx-unprivileged:1.27.4',
      ports: [{ name: 'http', port: 8080, expose: 'public' }],
      resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } },
      probes: { readiness: { http: { path: '/', port: 'http' } } },
      // Compose runs the readiness check inside the container, with curl.
      tools: ['curl'],
      security: { runAsUser: 101 },
      // The root filesystem is read-only: nginx writes its pid and buffers here.
      scratch: ['/tmp'],
    },
  ],
});
`;
}

function environmentFile(system: string, name: string): string {
  return `/** ${system} on a developer machine, with Docker Compose. */
import { defineEnvironment } from '@kiln/model';
import { ${identifier(system)} } from './systems/${system}.js';

export default defineEnvironment({
  name: '${name}',
  stage: 'development',
  systems: [${identifier(system)}],
  targets: { compose: {} },
});
`;
}

/** The repository files init adds only where there are none. */
function repositoryFiles(version: string): Record<string, string> {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return {
    'package.json': json({
      private: true,
      type: 'module',
      scripts: { generate: 'kiln generate', check: 'kiln check' },
      devDependencies: { '@kiln/cli': `^${version}`, '@kiln/model': `^${version}` },
    }),
    // The settings Kiln's own environments are checked with, so the editor says what Kiln would.
    'tsconfig.json': json({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, skipLibCheck: true, noEmit: true },
      include: [`${ENVIRONMENTS_DIR}/**/*.ts`],
    }),
    // What the operator fills in next to a Compose file never goes to git.
    '.gitignore': `node_modules/\n${GENERATED_DIR}/*/compose/.env\n${GENERATED_DIR}/*/compose/secrets/\n`,
  };
}

export async function init(root: string, named: string | undefined, report: Reporter, version: string): Promise<number> {
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    report.usage(`there is no folder ${root} to initialise`, 'create it first, or run kiln init inside it');
    return Exit.usage;
  }
  const system = named ?? basename(root).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  const environment = `${system}-dev`;
  if (!isDns1123Label(system) || !isDns1123Label(environment)) {
    report.usage(`'${system}' cannot name a system: a name is lower-case letters, digits and '-', starting and ending with a letter or digit`, "name it: 'kiln init shop'");
    return Exit.usage;
  }
  const sources = {
    [`${ENVIRONMENTS_DIR}/systems/${system}.ts`]: systemFile(system),
    [`${ENVIRONMENTS_DIR}/${environment}.ts`]: environmentFile(system, environment),
  };
  const taken = Object.keys(sources).filter((path) => existsSync(join(root, path)));
  if (taken.length > 0) {
    report.diagnostics(
      taken.map((file) => ({
        code: CliCode.INIT_FILE_EXISTS,
        severity: 'error',
        file,
        path: '',
        message: 'kiln init would write this file, and it exists',
        hint: `keep it; to scaffold another system, name it: 'kiln init <system>'`,
      })),
    );
    report.error('nothing written: kiln init never overwrites a file');
    return Exit.input;
  }
  const extra = Object.entries(repositoryFiles(version)).filter(([path]) => !existsSync(join(root, path)));
  const written = [...Object.entries(sources), ...extra];
  for (const [path, content] of written) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content, { flag: 'wx' });
  }
  for (const [path] of written) report.info(`created ${path}`);
  report.info(`next: 'npx kiln generate' writes ${GENERATED_DIR}/${environment}/; 'docker compose -f ${GENERATED_DIR}/${environment}/compose/docker-compose.yml up' runs it`);
  return Exit.ok;
}
