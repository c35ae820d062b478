/**
 * Test helpers (left out of the build): markdownlint with the runbooks' configuration, the Markdown
 * as markdownlint's own parser (micromark, with GFM tables and math) reads it, and the Mermaid
 * diagram through Mermaid's parser plus the checks Mermaid's architecture database makes when it
 * loads a parsed diagram (unique ids, groups before their members, edges between known services).
 */
import { parse } from '@mermaid-js/parser';
import { lint } from 'markdownlint/sync';
import type { MicromarkToken } from 'markdownlint';
import { markdownlintConfig } from './markdownlint-config.js';

/** markdownlint's findings, one line each (empty when the file passes). */
export function lintMarkdown(name: string, text: string): string[] {
  const results = lint({ strings: { [name]: text }, config: markdownlintConfig });
  return (results[name] ?? []).map((e) => `${name}:${e.lineNumber} ${e.ruleNames.join('/')} ${e.errorDetail ?? ''} ${e.errorContext ?? ''}`.trim());
}

export interface Token {
  readonly type: string;
  readonly text: string;
  readonly children: readonly Token[];
}

/** The document's tokens as markdownlint parses it. */
export function markdownTokens(text: string): Token[] {
  let tokens: readonly MicromarkToken[] = [];
  const rule = {
    names: ['kiln-tokens'],
    description: 'collects the parsed tokens',
    tags: ['test'],
    parser: 'micromark' as const,
    function: (params: { parsers: { micromark: { tokens: readonly MicromarkToken[] } } }) => {
      tokens = params.parsers.micromark.tokens;
    },
  };
  lint({ strings: { doc: text }, config: { default: false, 'kiln-tokens': true }, customRules: [rule] });
  return tokens as unknown as Token[];
}

/** Every token of a type, depth first. */
export function tokensOf(tokens: readonly Token[], type: string): Token[] {
  return tokens.flatMap((token) => [...(token.type === type ? [token] : []), ...tokensOf(token.children, type)]);
}

/** Link destinations: `[text](target)` and autolinks. */
export function linkTargets(text: string): string[] {
  const tokens = markdownTokens(text);
  return [...tokensOf(tokens, 'resourceDestinationString').map((t) => t.text), ...tokensOf(tokens, 'autolinkProtocol').map((t) => t.text)];
}

/** The Mermaid blocks of a document. */
export function mermaidBlocks(text: string): string[] {
  return [...text.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1] ?? '');
}

/** Parses an architecture diagram as Mermaid does; throws with Mermaid's words on an error. */
export async function parseArchitecture(diagram: string): Promise<void> {
  const ast = await parse('architecture', diagram);
  const kinds = new Map<string, 'group' | 'service' | 'junction'>();
  const register = (id: string, kind: 'group' | 'service' | 'junction') => {
    if (kinds.has(id)) throw new Error(`The id [${id}] is already in use by another ${kinds.get(id)}`);
    kinds.set(id, kind);
  };
  // Mermaid loads groups first, then services and junctions, then edges.
  for (const group of ast.groups) {
    if (group.in !== undefined && kinds.get(group.in) !== 'group') throw new Error(`The group [${group.id}]'s parent is no group`);
    register(group.id, 'group');
  }
  for (const service of ast.services) {
    if (service.in !== undefined && kinds.get(service.in) !== 'group') throw new Error(`The service [${service.id}]'s parent is no group`);
    register(service.id, 'service');
  }
  for (const junction of ast.junctions) register(junction.id, 'junction');
  for (const edge of ast.edges) {
    for (const id of [edge.lhsId, edge.rhsId]) if (kinds.get(id) !== 'service' && kinds.get(id) !== 'junction') throw new Error(`The edge end [${id}] does not exist`);
  }
}
