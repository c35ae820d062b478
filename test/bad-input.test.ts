/**
 * The bad-input corpus: each fixture is a repository root with one broken environment whose file
 * exports the codes Kiln must report. Kiln reports all of them at once, names file, path and fix,
 * and writes nothing.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelCode } from '@kiln/model';
import { kiln } from './support/run.js';

const corpus = join(import.meta.dirname, 'fixtures/invalid');
const cases = readdirSync(corpus).sort();

describe('bad input', () => {
  it('has a corpus', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)('%s: reports its codes and writes nothing', async (name) => {
    const root = join(corpus, name);
    const { expected } = (await import(join(root, 'environments', `${name}.ts`)).catch(() => ({ expected: ['LOAD_FAILED'] }))) as { expected: string[] };
    const run = await kiln(['generate', '--json', '--root', root]);
    expect(run.code).toBe(1);
    expect(run.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code).sort()).toEqual([...expected].sort());
    for (const diagnostic of run.diagnostics) {
      expect(diagnostic.file).toMatch(/^environments\/[a-z-]+\.ts$/);
      expect(diagnostic.message.length).toBeGreaterThan(0);
      expect(diagnostic.hint?.length ?? 0).toBeGreaterThan(0);
    }
    expect(existsSync(join(root, 'generated'))).toBe(false);
  });

  it('points at the field inside the input', async () => {
    const run = await kiln(['generate', '--json', '--root', join(corpus, 'limit-below-request')]);
    expect(run.diagnostics[0]).toMatchObject({ path: 'services[api].resources.limits.memory', hint: "raise the limit to at least '1Gi' or lower the request" });
    const typo = await kiln(['generate', '--json', '--root', join(corpus, 'unknown-field')]);
    expect(typo.diagnostics[0]).toMatchObject({ code: 'UNKNOWN_FIELD', path: 'services[api].replica' });
    const canonical = await kiln(['generate', '--json', '--root', join(corpus, 'quantity-not-canonical')]);
    expect(canonical.diagnostics.map((d) => d.hint)).toEqual(["use '500m'", "use '1Gi'"]);
  });

  it("reports the model's and the emitters' errors of one environment in one run", async () => {
    const root = join(corpus, 'model-and-emitter-errors');
    const run = await kiln(['generate', '--json', '--root', root]);
    expect(run.code).toBe(1);
    const errors = run.diagnostics.filter((d) => d.severity === 'error');
    // The model's (a stage policy, on the resolved model), the Kubernetes emitter's and the Grafana emitter's.
    expect(errors.filter((d) => Object.values(ModelCode).includes(d.code as never)).map((d) => d.code)).toEqual(['IMAGE_TAG_REQUIRED']);
    expect(errors.filter((d) => !Object.values(ModelCode).includes(d.code as never)).map((d) => d.code).sort()).toEqual(['GRAFANA_PANEL_WIDTH', 'K8S_HPA_WITHOUT_CPU_REQUEST']);
    expect(existsSync(join(root, 'generated'))).toBe(false);
  });

  it('prints people-readable diagnostics without --json', async () => {
    const run = await kiln(['generate', '--root', join(corpus, 'port-conflict')]);
    expect(run.stderr).toContain('error PORT_CONFLICT environments/port-conflict.ts: services[api].ports[admin].port');
    expect(run.stderr).toContain('fix: choose another port number');
    expect(run.stderr).toContain('nothing written');
  });
});
