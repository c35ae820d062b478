/**
 * Kiln's side: the real CLI (packages/cli/bin/kiln.js … --root DIR) in child processes, on a
 * synthetic repository, with KILN_TIMINGS=1 so that each run also reports its stages.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { measure } from './measure.js';
import type { Sample } from './measure.js';
import { editOneEnvironment, environmentName, writeRepository } from './workload.js';
import type { Mode, Size } from './workload.js';

export const OPERATIONS = [
  'start-up (kiln --version)',
  'full generate (empty generated/)',
  'no-op generate',
  'one-environment edit, generate',
  'kiln generate ENV',
  'kiln check',
  'kiln diff, one-line change',
] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface KilnSample extends Sample {
  /** Milliseconds per stage, from KILN_TIMINGS=1. */
  readonly stages: Readonly<Record<string, number>>;
  /** Files a generate wrote. */
  readonly written?: number;
}

export class KilnRepository {
  private readonly cli: string;

  constructor(
    readonly dir: string,
    workspace: string,
  ) {
    this.cli = join(workspace, 'packages', 'cli', 'bin', 'kiln.js');
  }

  /** Writes the repository, generates it once (it must compile) and commits it: the base of `kiln diff`. */
  static create(dir: string, workspace: string, mode: Mode, size: Size): KilnRepository {
    writeRepository(dir, mode, size, join(workspace, 'node_modules'));
    const repository = new KilnRepository(dir, workspace);
    repository.kiln('generate');
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.org', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, stdio: 'ignore' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'base');
    return repository;
  }

  /** One run of every operation, in order; leaves the environment files as they were. */
  run(): Map<Operation, KilnSample> {
    const samples = new Map<Operation, KilnSample>();
    samples.set('start-up (kiln --version)', this.kiln('--version'));
    rmSync(join(this.dir, 'generated'), { recursive: true, force: true });
    samples.set('full generate (empty generated/)', this.kiln('generate'));
    samples.set('no-op generate', this.kiln('generate'));
    const undo = editOneEnvironment(this.dir);
    try {
      samples.set('one-environment edit, generate', this.kiln('generate'));
      // generated/ is now the edited tree; HEAD holds the tree before the edit.
      samples.set('kiln diff, one-line change', this.kiln('diff'));
    } finally {
      undo();
    }
    // Back to the committed tree, untimed, so that the next two run on an up-to-date tree.
    this.kiln('generate', environmentName(0));
    samples.set('kiln generate ENV', this.kiln('generate', environmentName(0)));
    samples.set('kiln check', this.kiln('check'));
    return samples;
  }

  private kiln(command: string, ...args: string[]): KilnSample {
    const sample = measure(this.cli, command === '--version' ? [command] : [command, ...args, '--root', this.dir], { KILN_TIMINGS: '1' });
    const timings = /^\{"timings":.*\}$/m.exec(sample.stderr);
    const written = /(\d+) written/.exec(sample.stdout);
    return { ...sample, stages: timings ? (JSON.parse(timings[0]) as { timings: Record<string, number> }).timings : {}, ...(written ? { written: Number(written[1]) } : {}) };
  }
}
