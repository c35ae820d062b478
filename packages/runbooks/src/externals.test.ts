import { render } from '@kiln/core';
import type { Environment, EnvironmentInput } from '@kiln/model';
import { parse } from '@mermaid-js/parser';
import { describe, expect, it } from 'vitest';
import { runbooksEmitter } from './emitter.js';
import { environment, shop, TARGETS } from './fixtures.js';
import { lintMarkdown, mermaidBlocks, parseArchitecture } from './markdown-check.js';

/** The shop, whose API sends traces out and takes calls from partners outside. */
function withExternals(targets: EnvironmentInput['targets']): Environment {
  const base = shop();
  return environment(
    shop({
      flows: [...(base.flows ?? []), { from: 'api', to: 'tracing', port: 'otlp' }, { from: 'partners', to: 'api', port: 'http' }],
      externals: [{ name: 'tracing', ports: [{ name: 'otlp', port: 4317 }] }, { name: 'partners' }],
    }),
    { targets, externals: { tracing: { host: 'otel-collector.observability.svc.cluster.local' }, partners: { cidr: '198.51.100.0/24' } } },
  );
}

const readme = (env: Environment) => {
  const output = runbooksEmitter.emit(env).outputs.find((o) => o.path.endsWith('/README.md'));
  return output?.format === 'markdown' ? { text: output.text, written: render(output, env.source), path: output.path } : undefined;
};

describe('endpoints outside the environment in the runbooks', () => {
  it('are listed with where they are, their ports and flows, and what NetworkPolicies admit of them on Kubernetes', () => {
    const kubernetes = readme(withExternals(TARGETS.kubernetes));
    expect(kubernetes?.text).toContain('### Endpoints outside the environment');
    expect(kubernetes?.text).toContain('| tracing | otel-collector.observability.svc.cluster.local (NetworkPolicies: any pod of namespace observability) | otlp 4317/TCP | api → tracing otlp 4317/TCP |');
    expect(kubernetes?.text).toContain('| partners | 198\\.51.100.0/24 (NetworkPolicies: this block) | none | partners → api http 8080/TCP |');
    expect(readme(withExternals(TARGETS.compose))?.text).toContain('| tracing | otel-collector.observability.svc.cluster.local | otlp 4317/TCP |');
    expect(readme(environment())?.text).not.toContain('Endpoints outside the environment');
  });

  it('are drawn outside the systems, with an edge the way calls go, in a diagram Mermaid parses', async () => {
    const text = readme(withExternals(TARGETS.kubernetes))?.text ?? '';
    const [diagram = ''] = mermaidBlocks(text);
    await expect(parseArchitecture(diagram)).resolves.toBeUndefined();
    const ast = await parse('architecture', diagram);
    expect(ast.services.filter((s) => s.id.startsWith('ext_')).map((s) => [s.id, s.title, s.in])).toEqual([
      ['ext_partners', 'partners', undefined],
      ['ext_tracing', 'tracing', undefined],
    ]);
    expect(ast.edges.filter((e) => e.lhsId.startsWith('ext_') || e.rhsId.startsWith('ext_')).map((e) => [e.lhsId, e.title, e.rhsInto, e.rhsId])).toEqual([
      ['ext_partners', 'http 8080', true, 'svc_api'],
      ['svc_api', 'otlp 4317', true, 'ext_tracing'],
    ]);
  });

  it('keep the README clean for markdownlint', () => {
    for (const targets of [TARGETS.kubernetes, TARGETS.compose]) {
      const file = readme(withExternals(targets));
      expect(lintMarkdown(file?.path ?? '', file?.written ?? '')).toEqual([]);
    }
  });
});
