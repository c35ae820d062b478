/**
 * `npm run bench [-- --sizes 20x50,20x250 --runs 5 --modes kubernetes,full --keep]`
 *
 * Per size (E environments × S services): Kiln's commands on a synthetic repository in each mode,
 * cdk8s and the yaml floor on the same Kubernetes workload, interleaved run by run (kiln, cdk8s,
 * floor, kiln, …) so that a machine busy with other work slows all of them alike. Prints min, median
 * and max, peak RSS, Kiln's stages, and the ratios. A benchmark, not a test: it asserts nothing.
 */
import { cpus, freemem, loadavg, release, tmpdir, totalmem, type, arch } from 'node:os';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KilnRepository, OPERATIONS } from './kiln.js';
import type { KilnSample, Operation } from './kiln.js';
import { measure } from './measure.js';
import type { Sample } from './measure.js';
import type { Mode, Size } from './workload.js';

const WORKSPACE = new URL('../../', import.meta.url).pathname;
const DIST = new URL('./', import.meta.url).pathname;
const MODES: readonly Mode[] = ['kubernetes', 'full'];
/** The issue's five objects per service, for cdk8s and the floor. */
const OBJECTS_PER_SERVICE = 5;
const STAGES = ['start-up', 'load', 'resolve', 'emit', 'render', 'plan', 'write'];

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '20x50,20x250' },
    runs: { type: 'string', default: '5' },
    modes: { type: 'string', default: MODES.join(',') },
    keep: { type: 'boolean', default: false },
  },
});
const sizes: Size[] = values.sizes.split(',').map((text) => {
  const match = /^(\d+)x(\d+)$/.exec(text.trim());
  if (!match) throw new Error(`--sizes takes E×S pairs such as 20x50,20x250, not '${text}'`);
  return { environments: Number(match[1]), services: Number(match[2]) };
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a whole number above 0, not '${values.runs}'`);
const modes = values.modes.split(',').map((mode) => {
  if (!(MODES as readonly string[]).includes(mode)) throw new Error(`--modes takes ${MODES.join(', ')}, not '${mode}'`);
  return mode as Mode;
});

const cdk8sVersion = (JSON.parse(readFileSync(join(WORKSPACE, 'node_modules', 'cdk8s', 'package.json'), 'utf8')) as { version: string }).version;
const scratch = mkdtempSync(join(tmpdir(), 'kiln-bench-'));

printMachine('before');
try {
  for (const size of sizes) benchmark(size);
} finally {
  if (values.keep) console.log(`\nrepositories and outputs kept in ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}
printMachine('after');

function benchmark(size: Size): void {
  const label = `${size.environments}x${size.services}`;
  const objects = size.environments * size.services * OBJECTS_PER_SERVICE;
  console.log(`\n## ${size.environments} environments × ${size.services} services (${objects} Kubernetes objects for cdk8s and the floor), ${runs} runs, interleaved`);
  const repositories = new Map(modes.map((mode) => [mode, KilnRepository.create(join(scratch, `kiln-${mode}-${label}`), WORKSPACE, mode, size)]));
  const kiln = new Map(modes.map((mode) => [mode, [] as Map<Operation, KilnSample>[]]));
  const cdk8s: Sample[] = [];
  const floor: Sample[] = [];
  for (let run = 0; run < runs; run++) {
    process.stderr.write(`run ${run + 1}/${runs}\n`);
    for (const mode of modes) {
      kiln.get(mode)?.push(repositories.get(mode)?.run() ?? new Map());
      // cdk8s and the floor run after the Kubernetes-only Kiln run they are compared with.
      if (mode === 'kubernetes' || !modes.includes('kubernetes')) {
        cdk8s.push(generator('cdk8s', size, join(scratch, `cdk8s-${label}`)));
        floor.push(generator('floor', size, join(scratch, `floor-${label}`)));
      }
    }
  }

  for (const mode of modes) {
    const samples = kiln.get(mode) ?? [];
    console.log(`\nKiln, ${mode === 'kubernetes' ? 'Kubernetes only (per service a Deployment, Service, HPA, PDB, ConfigMap of 20 keys)' : 'every output kind (Kubernetes, Compose and hosts targets, Argo CD; per service metrics, an alert with runbook and test, a dashboard panel, sysctls and a ulimit, a flow, config files)'}`);
    table(OPERATIONS.map((operation) => [operation, samples.flatMap((run) => run.get(operation) ?? [])]));
    console.log(`  peak RSS of any run: ${mib(Math.max(...samples.flatMap((run) => [...run.values()].map((s) => s.rssMiB))))}`);
    stageTable(samples);
  }
  console.log(`\ncdk8s ${cdk8sVersion} (raw ApiObject, one Chart per environment, FOLDER_PER_CHART_FILE_PER_RESOURCE) and the floor (yaml stringify, write, no validation)`);
  table([
    ['cdk8s synth', cdk8s],
    ['floor', floor],
  ]);
  const kubernetes = kiln.get('kubernetes');
  if (kubernetes) {
    const full = median(kubernetes.flatMap((run) => run.get('full generate (empty generated/)')?.seconds ?? []));
    const [c, f] = [median(cdk8s.map((s) => s.seconds)), median(floor.map((s) => s.seconds))];
    console.log(`\nRatios of medians, full generate, Kubernetes only: Kiln/cdk8s ${(full / c).toFixed(2)}×, Kiln/floor ${(full / f).toFixed(2)}×`);
    console.log(`Per Kubernetes object (${objects}): Kiln ${micro(full / objects)}, cdk8s ${micro(c / objects)}, floor ${micro(f / objects)}`);
  }
  console.log(`Files: cdk8s wrote ${countFiles(join(scratch, `cdk8s-${label}`))}, the floor ${countFiles(join(scratch, `floor-${label}`))}; Kiln's counts (its objects also include a ServiceAccount per service, a Namespace and a NetworkPolicy per environment, runbooks, the index and the manifest) are in the 'written' column`);
}

/** One run of cdk8s.js or floor.js into an empty folder. */
function generator(name: 'cdk8s' | 'floor', size: Size, out: string): Sample {
  rmSync(out, { recursive: true, force: true });
  return measure(join(DIST, `${name}.js`), [String(size.environments), String(size.services), out]);
}

function table(rows: readonly (readonly [string, readonly (Sample & { written?: number })[]])[]): void {
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`  ${''.padEnd(width)}  ${['min', 'median', 'max', 'peak RSS', 'written'].map((h) => h.padStart(9)).join(' ')}`);
  for (const [name, samples] of rows) {
    const seconds = samples.map((s) => s.seconds);
    const written = samples.flatMap((s) => (s.written === undefined ? [] : [s.written]));
    const cells = [Math.min(...seconds), median(seconds), Math.max(...seconds)].map((s) => `${s.toFixed(2)} s`);
    cells.push(mib(median(samples.map((s) => s.rssMiB))), written.length > 0 ? String(median(written)) : '');
    console.log(`  ${name.padEnd(width)}  ${cells.map((c) => c.padStart(9)).join(' ')}`);
  }
}

/** Median milliseconds per stage; `other` is the rest of the wall time (process exit, checks, the index, reading the diff's base). */
function stageTable(samples: readonly Map<Operation, KilnSample>[]): void {
  const operations = OPERATIONS.filter((operation) => operation !== 'start-up (kiln --version)');
  const width = Math.max(...operations.map((o) => o.length));
  console.log(`  stages, median ms (validation runs inside emit)`);
  console.log(`  ${''.padEnd(width)}  ${[...STAGES, 'other'].map((s) => s.padStart(8)).join(' ')}`);
  for (const operation of operations) {
    const runs = samples.flatMap((run) => run.get(operation) ?? []);
    const stage = (name: string) => median(runs.map((r) => r.stages[name] ?? 0));
    const other = median(runs.map((r) => r.seconds * 1000 - STAGES.reduce((sum, name) => sum + (r.stages[name] ?? 0), 0)));
    console.log(`  ${operation.padEnd(width)}  ${[...STAGES.map(stage), other].map((ms) => ms.toFixed(0).padStart(8)).join(' ')}`);
  }
}

function printMachine(when: 'before' | 'after'): void {
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  if (when === 'after') {
    console.log(`\nload average after: ${load}`);
    return;
  }
  const cpu = cpus();
  console.log('# Kiln benchmark');
  console.log(`machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory (${(freemem() / 2 ** 30).toFixed(1)} GiB free)`);
  console.log(`${type()} ${release()} ${arch()}, Node ${process.version}; load average before: ${load} (other work on the machine slows every tool; runs interleave so it slows them alike)`);
}

function countFiles(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

function mib(value: number): string {
  return `${value.toFixed(0)} MiB`;
}

function micro(seconds: number): string {
  return `${(seconds * 1e6).toFixed(0)} µs`;
}
