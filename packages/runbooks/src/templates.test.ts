import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AlertContext } from './contexts.js';
import { lintMarkdown, markdownTokens, tokensOf } from './markdown-check.js';
import { markdownTemplate } from './markdown-template.js';
import { alertTemplate } from './templates/alert.js';

/** User text with everything that could break Markdown or be eaten by Handlebars. */
const NASTY = 'Errors | on *{{ $labels.x }}* <b>now</b>\n# and {{#each x}}{{/each}} {{> partial}}';

const context = (over: Partial<AlertContext['variants'][number]> = {}): AlertContext => ({
  name: 'ApiErrors',
  intro: [{ text: 'An alert of system ' }, { code: 'shop' }, { text: '.' }],
  variants: [
    {
      heading: null,
      level: 2,
      severity: 'critical',
      summary: NASTY,
      description: 'Second line\nof {{ $value | humanize }}',
      slo: null,
      condition: [{ text: 'It fires when ' }, { code: 'x > 1' }, { text: '.' }],
      labels: null,
      expr: 'sum(rate(x{a="`"}[5m])) > 1',
      impact: 'Orders | fail',
      diagnosis: ['1. first', '- second'],
      mitigation: ['Roll *back*.'],
      escalation: null,
      panel: null,
      ...over,
    },
  ],
  commands: [],
  index: 'README.md',
});

describe('runbook templates', () => {
  it('renders user text escaped and intact: no HTML escaping, no structure, templates as written', () => {
    const markdown = alertTemplate.render(context());
    expect(markdown).toContain('Errors \\| on \\*`{{ $labels.x }}`\\* \\<b>now\\</b> # and `{{#each x}}{{/each}}` `{{> partial}}`');
    expect(markdown).not.toMatch(/&amp;|&lt;|&gt;|&quot;|&#/);
    const tokens = markdownTokens(markdown);
    // One heading per section the template writes, none from the user's "# and".
    expect(tokensOf(tokens, 'atxHeadingText').map((t) => t.text)).toEqual(['ApiErrors', 'What it means', 'When it fires', 'Impact', 'Diagnosis', 'Mitigation', 'Escalation', 'Dashboard', 'Commands', 'See also']);
    for (const type of ['emphasis', 'htmlText', 'htmlFlow', 'listUnordered']) expect(tokensOf(tokens, type), type).toEqual([]);
    expect(tokensOf(tokens, 'codeTextData').map((t) => t.text)).toEqual(expect.arrayContaining(['{{ $labels.x }}', '{{#each x}}{{/each}}', '{{> partial}}', '{{ $value | humanize }}']));
    // The diagnosis list has its two items, neither turned into a nested list.
    expect(markdown).toContain('1. 1\\. first\n2. \\- second');
    expect(tokensOf(tokens, 'codeFlowValue').map((t) => t.text)).toEqual(['sum(rate(x{a="`"}[5m])) > 1']);
    expect(lintMarkdown('nasty.md', markdown)).toEqual([]);
  });

  it('throws an internal error naming the field when the context fails validation', () => {
    expect(() => alertTemplate.render({ ...context(), name: 'not camel' })).toThrow(/internal error: .*'alert' fails validation at 'name'/);
    expect(() => alertTemplate.render(context({ diagnosis: [] }))).toThrow(/at 'variants\.0\.diagnosis'/);
    expect(() => alertTemplate.render(context({ level: 3 }))).toThrow(/at 'variants\.0\.level'/);
    const missing = context() as Record<string, unknown>;
    delete missing['commands'];
    expect(() => alertTemplate.render(missing as AlertContext)).toThrow(/at 'commands'/);
  });

  it('refuses a template that prints a value without a Markdown helper', () => {
    const schema = z.strictObject({ x: z.string() });
    expect(() => markdownTemplate('bare', schema, '{{x}}')).toThrow(/prints 'x' without a Markdown helper/);
    expect(() => markdownTemplate('raw', schema, '{{{md x}}}')).toThrow(/triple-stash/);
    expect(() => markdownTemplate('partial', schema, '{{> other}}')).toThrow(/PartialStatement/);
    expect(() => markdownTemplate('block', schema, '{{#with x}}{{/with}}')).toThrow(/opens a block with 'with'/);
  });

  it('compiles with knownHelpersOnly, and relies on zod where strict cannot see', () => {
    const list = z.strictObject({ x: z.array(z.string()) });
    expect(() => markdownTemplate('unknown', list, '{{#each x}}{{shout this}}{{/each}}').render({ x: ['a'] })).toThrow(/shout/);
    // strict mode does not look at values passed to helpers: {{#if y}} with no y renders nothing…
    expect(markdownTemplate('silent', z.any(), 'a{{#if y}}b{{/if}}').render({})).toBe('a\n');
    // …so the schema is what refuses the context, and the helpers refuse what is not text.
    const wrong = {} as { y: string }; // what a builder with a bug would hand over
    expect(() => markdownTemplate('checked', z.strictObject({ y: z.string() }), 'a{{#if y}}b{{/if}}').render(wrong)).toThrow(/at 'y'/);
    expect(() => markdownTemplate('helper', z.any(), '{{md y}}').render({})).toThrow(/md helper got undefined/);
  });
});
