/**
 * Runbooks of the whole repository, compiled in memory: every alert and procedure has its runbook
 * where the model says (where `runbook_url` points), every link resolves inside generated/, every
 * Grafana link names a generated dashboard and one of its panels, markdownlint passes and every
 * topology diagram parses with Mermaid's parser.
 */
import { posix } from 'node:path';
import { emitters } from '@kiln/cli';
import { compile } from '@kiln/core';
import type { Compilation } from '@kiln/core';
import { procedurePath, runbookPath } from '@kiln/model';
import { runbooksEmitter } from '@kiln/runbooks';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
// The runbook package's own checks, so unit and repository tests judge runbooks the same way.
import { linkTargets, lintMarkdown, mermaidBlocks, parseArchitecture } from '../packages/runbooks/src/markdown-check.js';

const root = posix.join(import.meta.dirname, '..');

let compiled: Compilation;
let runbooks: [string, string][];

beforeAll(async () => {
  // The CLI's emitters, with the runbook emitter until the CLI runs it itself.
  const all = emitters.some((e) => e.name === runbooksEmitter.name) ? emitters : [...emitters, runbooksEmitter];
  compiled = await compile({ root, emitters: all });
  runbooks = [...compiled.files].filter(([path]) => /^[^/]+\/runbooks\/[^/]+\.md$/.test(path));
});

/** Panel ids of a classic dashboard, rows and panels inside collapsed rows included. */
function panelIds(dashboard: { panels?: { id?: number; panels?: unknown[] }[] }): Set<number> {
  const ids = new Set<number>();
  const walk = (panels: readonly { id?: number; panels?: unknown[] }[]) => {
    for (const panel of panels) {
      if (typeof panel.id === 'number') ids.add(panel.id);
      walk((panel.panels ?? []) as { id?: number }[]);
    }
  };
  walk(dashboard.panels ?? []);
  return ids;
}

/** The dashboards generated for an environment, by uid: JSON files, and sidecar ConfigMaps' JSON. */
function dashboards(environment: string): Map<string, { panels?: { id?: number }[] }> {
  const found = new Map<string, { uid?: string; panels?: { id?: number }[] }>();
  for (const [path, text] of compiled.files) {
    if (path.startsWith(`${environment}/grafana/dashboards/`) && path.endsWith('.json')) {
      const dashboard = JSON.parse(text) as { uid?: string };
      if (dashboard.uid) found.set(dashboard.uid, dashboard);
    }
    if (path.startsWith(`${environment}/kubernetes/configmap-`)) {
      const object = parse(text, { version: '1.1' }) as { data?: Record<string, string> };
      for (const [key, value] of Object.entries(object.data ?? {})) {
        if (!key.endsWith('.json')) continue;
        const dashboard = JSON.parse(value) as { uid?: string };
        if (dashboard.uid) found.set(dashboard.uid, dashboard);
      }
    }
  }
  return found;
}

describe('runbooks of every environment', () => {
  it('compile without errors', () => {
    expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(runbooks.length).toBeGreaterThan(0);
  });

  it('include a runbook for every alert and procedure, where the model says, and an index', () => {
    for (const env of compiled.environments) {
      for (const system of env.systems) {
        for (const alert of system.alerts) expect(compiled.files.has(runbookPath(env.name, alert)), `${env.name}: alert ${alert.name}`).toBe(true);
        for (const procedure of system.procedures) expect(compiled.files.has(procedurePath(env.name, procedure)), `${env.name}: procedure ${procedure.name}`).toBe(true);
      }
      expect(compiled.files.has(`${env.name}/runbooks/README.md`), env.name).toBe(true);
    }
  });

  it('link only files that are generated', () => {
    let checked = 0;
    for (const [path, text] of runbooks) {
      for (const target of linkTargets(text).filter((t) => !/^[a-z]+:/.test(t))) {
        const resolved = posix.normalize(posix.join(posix.dirname(path), target));
        expect(compiled.files.has(resolved), `${path} links ${target}: generated/${resolved} is not generated`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('link Grafana only to generated dashboards and their panels', () => {
    let checked = 0;
    for (const env of compiled.environments) {
      const grafana = env.monitoring.grafana?.url.replace(/\/+$/, '');
      if (!grafana) continue;
      const generated = dashboards(env.name);
      for (const [path, text] of runbooks.filter(([p]) => p.startsWith(`${env.name}/`))) {
        for (const target of linkTargets(text).filter((t) => t.startsWith(`${grafana}/`))) {
          const [, uid, id] = /^.*\/d\/([A-Za-z0-9_-]+)\?viewPanel=(\d+)$/.exec(target) ?? [];
          expect(uid, `${path}: ${target} is no panel link`).toBeDefined();
          const dashboard = generated.get(uid ?? '');
          expect(dashboard, `${path}: no dashboard '${uid}' is generated for ${env.name}`).toBeDefined();
          expect(panelIds(dashboard ?? {}).has(Number(id)), `${path}: dashboard '${uid}' has no panel ${id}`).toBe(true);
          checked++;
        }
      }
    }
    const linksPanels = compiled.environments.some((env) => env.monitoring.grafana && env.systems.some((s) => s.alerts.some((a) => a.runbook.panel) || s.procedures.some((p) => p.panels.length > 0)));
    if (linksPanels) expect(checked).toBeGreaterThan(0);
  });

  it('give every environment with host files a host tuning runbook that links each of them', () => {
    let checked = 0;
    for (const env of compiled.environments) {
      const hostFiles = [...compiled.files.keys()].filter((path) => path.startsWith(`${env.name}/host/`));
      const runbook = compiled.files.get(`${env.name}/runbooks/host-tuning.md`);
      if (hostFiles.length === 0) continue;
      expect(runbook, `${env.name} has host files but no host-tuning.md`).toBeDefined();
      const linked = new Set(linkTargets(runbook ?? '').map((target) => posix.normalize(posix.join(`${env.name}/runbooks`, target))));
      for (const file of hostFiles) expect(linked.has(file), `${env.name}/runbooks/host-tuning.md does not link ${file}`).toBe(true);
      expect(compiled.files.get(`${env.name}/runbooks/README.md`)).toContain('(host-tuning.md)');
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('pass markdownlint', () => {
    expect(runbooks.flatMap(([path, text]) => lintMarkdown(path, text))).toEqual([]);
  });

  it('draw topologies Mermaid parses', async () => {
    for (const env of compiled.environments) {
      const blocks = mermaidBlocks(compiled.files.get(`${env.name}/runbooks/README.md`) ?? '');
      expect(blocks, env.name).toHaveLength(1);
      await expect(parseArchitecture(blocks[0] ?? ''), env.name).resolves.toBeUndefined();
    }
  });
});
