import { describe, expect, it } from 'vitest';
import { configMap, deployment, files, service, yamlFile } from './builders.js';
import { diffTrees } from './diff.js';
import { unifiedLines } from './lines.js';
import { renderJson, toDocument } from './render-json.js';
import { DEFAULT_MARKDOWN_BUDGET, fenced, GITHUB_COMMENT_LIMIT, renderMarkdown } from './render-markdown.js';
import { renderText } from './render-text.js';
import { CHANGE_TYPES, OUTPUT_KINDS } from './report.js';
import type { DiffDocument } from './report.js';

const base = { ref: 'origin/main', commit: '0123456789abcdef0123456789abcdef01234567' };

function smallDiff() {
  return diffTrees(
    files({ 'shop/kubernetes/deployment-api.yaml': yamlFile(deployment({ replicas: 3 })), 'shop/kubernetes/deployment-web.yaml': yamlFile(deployment({ name: 'web' })), 'old/kubernetes/service-api.yaml': yamlFile(service('api', 'old')) }),
    files({ 'shop/kubernetes/deployment-api.yaml': yamlFile(deployment({ replicas: 5 })), 'shop/kubernetes/deployment-storefront.yaml': yamlFile(deployment({ name: 'storefront' })), 'shop/kubernetes/service-api.yaml': yamlFile(service('api')) }),
  );
}

/** A diff of `count` ConfigMaps, each with a long changed file: far over any comment limit. */
function largeDiff(count: number) {
  const body = (version: number) => Array.from({ length: 40 }, (_, i) => `setting_${i} = "value ${i} of version ${version}"`).join('\n');
  const side = (version: number) => files(Object.fromEntries(Array.from({ length: count }, (_, i) => [`env-${String(i).padStart(3, '0')}/kubernetes/configmap-c.yaml`, yamlFile(configMap(`c-${i}`, { 'app.toml': `${body(version)}\n`, 'é.txt': `naïve ✓ ${version} 😀\n` }))])));
  return diffTrees(side(1), side(2));
}

describe('text', () => {
  it('groups by environment and kind and shows each change', () => {
    const text = renderText(smallDiff(), { base });
    expect(text).toContain('    changed Deployment shop/api  (file: shop/kubernetes/deployment-api.yaml)\n        spec.replicas: 3 → 5\n');
    expect(text).toMatch(/ {4}renamed Deployment shop\/web → Deployment shop\/storefront \(\d+% alike\) {2}\(file: shop\/kubernetes\/deployment-web\.yaml → shop\/kubernetes\/deployment-storefront\.yaml\)\n {8}metadata\.name: web → storefront\n/);
    expect(text).toContain('    added Service shop/api  (file: shop/kubernetes/service-api.yaml)\n      + apiVersion: v1\n');
    expect(text).toContain('\nold\n  kubernetes\n    removed Service old/api  (file: old/kubernetes/service-api.yaml)\n');
    expect(text.indexOf('\nold\n')).toBeLessThan(text.indexOf('\nshop\n'));
  });

  it('says so when nothing changed', () => {
    expect(renderText(diffTrees(new Map(), new Map()), { base })).toBe('No changes to generated/ against origin/main (0123456789ab).\n');
  });
});

describe('markdown', () => {
  it('starts with the summary table, then one collapsed block per resource', () => {
    const markdown = renderMarkdown(smallDiff(), { base });
    const table = ['| environment | kind | added | changed | removed | renamed |', '| --- | --- | ---: | ---: | ---: | ---: |', '| old | kubernetes | 0 | 0 | 1 | 0 |', '| shop | kubernetes | 1 | 1 | 0 | 1 |'].join('\n');
    expect(markdown).toContain(table);
    expect(markdown.indexOf(table)).toBeLessThan(markdown.indexOf('<details>'));
    expect(markdown.match(/<details>/g)).toHaveLength(4);
    expect(markdown).toContain('<details>\n<summary>changed · shop · kubernetes · <code>Deployment shop/api</code></summary>\n\n```text\nfile: shop/kubernetes/deployment-api.yaml\n  spec.replicas: 3 → 5\n```\n\n</details>\n');
    expect(markdown).not.toContain('left out');
  });

  it('escapes HTML in summaries and uses a fence longer than any backticks inside', () => {
    expect(fenced(['a ```` b'])).toBe('`````text\na ```` b\n`````');
    const report = diffTrees(files({ 'a/kubernetes/c.yaml': yamlFile(configMap('<b>x</b>', { k: 'has ``` inside' })) }), files({ 'a/kubernetes/c.yaml': yamlFile(configMap('<b>x</b>', { k: 'has ```` now' })) }));
    const markdown = renderMarkdown(report, { base });
    expect(markdown).toContain('<code>ConfigMap shop/&lt;b&gt;x&lt;/b&gt;</code>');
    expect(markdown).toContain('`````text\n');
  });

  it('stays under the budget on a large diff, leaving out whole resources and saying how many', () => {
    const report = largeDiff(200);
    const full = renderMarkdown(report, { base, budget: Number.MAX_SAFE_INTEGER });
    expect(full.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    for (const budget of [DEFAULT_MARKDOWN_BUDGET, 25_000, 15_000]) {
      const markdown = renderMarkdown(report, { base, budget });
      expect(markdown.length).toBeLessThanOrEqual(budget);
      const shown = markdown.match(/<details>/g)?.length ?? 0;
      expect(markdown.match(/<\/details>/g)?.length ?? 0).toBe(shown);
      expect(shown).toBeGreaterThan(0);
      expect(markdown).toContain(`**${200 - shown} of 200 resources left out**`);
      // Fences open and close in pairs, and every shown block is whole.
      expect((markdown.match(/^```/gm) ?? []).length % 2).toBe(0);
      for (const block of markdown.split('<details>').slice(1)) expect(block).toMatch(/\n```\n\n<\/details>\n/);
      // Nothing is cut inside a character: the comment is well-formed UTF-16 and whole shown blocks equal the full rendering's.
      expect(markdown).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      expect(markdown).toContain('naïve ✓ 2 😀');
      expect(full).toContain(markdown.split('<details>').slice(1, -1).join('<details>'));
      // The table comes first, whole.
      expect(markdown).toContain('| env-199 | kubernetes | 0 | 1 | 0 | 0 |');
    }
  });

  it('says so when nothing changed', () => {
    expect(renderMarkdown(diffTrees(new Map(), new Map()), { base })).toBe('### Kiln diff\n\nNo changes to `generated/` against <code>origin/main (0123456789ab)</code>.\n');
  });
});

describe('json', () => {
  it('has the documented shape', () => {
    const report = smallDiff();
    const document = JSON.parse(renderJson(report, base)) as DiffDocument;
    expect(document).toEqual(toDocument(report, base));
    expect(Object.keys(document)).toEqual(['schema', 'base', 'head', 'changed', 'totals', 'summary', 'resources']);
    expect(document).toMatchObject({ schema: 'kiln.dev/diff/v1', base, head: 'working-tree', changed: true, totals: { added: 1, changed: 1, removed: 1, renamed: 1 } });
    for (const row of document.summary) {
      expect(Object.keys(row).sort()).toEqual(['added', 'changed', 'environment', 'kind', 'removed', 'renamed']);
      expect(OUTPUT_KINDS).toContain(row.kind);
    }
    for (const resource of document.resources) {
      expect(CHANGE_TYPES).toContain(resource.change);
      expect(OUTPUT_KINDS).toContain(resource.kind);
      for (const key of ['environment', 'kind', 'type', 'id', 'name', 'file', 'change'] as const) expect(typeof resource[key]).toBe('string');
      expect(Array.isArray(resource.fields)).toBe(true);
      for (const field of resource.fields) {
        expect(typeof field.path).toBe('string');
        expect(field.before !== undefined || field.after !== undefined || field.lines !== undefined).toBe(true);
      }
    }
    const renamed = document.resources.find((r) => r.change === 'renamed');
    expect(renamed).toMatchObject({ id: 'apps/v1/Deployment/shop/storefront', previous: { id: 'apps/v1/Deployment/shop/web', name: 'Deployment shop/web', file: 'shop/kubernetes/deployment-web.yaml' }, similarity: expect.any(Number) });
    expect(document.resources.find((r) => r.change === 'changed')?.fields).toEqual([{ path: 'spec.replicas', before: '3', after: '5' }]);
  });

  it('is the same bytes for the same trees', () => {
    expect(renderJson(smallDiff(), base)).toBe(renderJson(smallDiff(), base));
    expect(JSON.parse(renderJson(diffTrees(new Map(), new Map()), base))).toMatchObject({ changed: false, resources: [], summary: [], totals: { added: 0, changed: 0, removed: 0, renamed: 0 } });
  });
});

describe('line diff', () => {
  it('makes hunks with context, and joins changes close together', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    const after = before.replace('line 3', 'line three').replace('line 5', 'line five').replace('line 17', 'line seventeen');
    expect(unifiedLines(before, after)).toEqual([
      '@@ -2,7 +2,7 @@',
      ' line 1',
      ' line 2',
      '-line 3',
      '+line three',
      ' line 4',
      '-line 5',
      '+line five',
      ' line 6',
      ' line 7',
      '@@ -16,5 +16,5 @@',
      ' line 15',
      ' line 16',
      '-line 17',
      '+line seventeen',
      ' line 18',
      ' line 19',
    ]);
    expect(unifiedLines('a\nb\n', 'a\nb\n')).toEqual([]);
    expect(unifiedLines('', 'x\n')).toEqual(['@@ -0,0 +1,1 @@', '+x']);
    expect(unifiedLines('a\nb\nc\n', 'c\nb\na\n').filter((l) => l.startsWith('+') || l.startsWith('-'))).toHaveLength(4);
  });
});
