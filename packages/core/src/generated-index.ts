/** generated/README.md: what is here, per environment, so a reviewer can find their way. */
import type { Environment } from '@kiln/model';

/** `withOutput`: environments that have a folder in generated/ (a hosts-only one may have none yet). */
export function renderIndex(environments: readonly Environment[], withOutput: ReadonlySet<string>): string {
  const lines = [
    '# Generated configuration',
    '',
    'Everything below this folder is compiled by Kiln from `environments/`. Change the environment files and run',
    '`npx kiln generate`; CI runs `npx kiln check` and fails when this tree is stale. `kiln-manifest.json` lists every',
    'generated file with its hash.',
    '',
    '| environment | stage | systems | targets | source |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const env of environments) {
    const targets = Object.keys(env.targets)
      .sort()
      .map((target) => (target === 'kubernetes' && env.targets.kubernetes ? `kubernetes (${cell(env.targets.kubernetes.cluster)})` : target));
    const name = withOutput.has(env.name) ? `[${cell(env.name)}](${env.name}/)` : cell(env.name);
    lines.push(`| ${name} | ${env.stage} | ${env.systems.map((s) => cell(s.name)).join(', ')} | ${targets.join(', ')} | \`${env.source}\` |`);
  }
  lines.push('');
  for (const env of environments) {
    lines.push(`## ${cell(env.name)}`, '');
    if (env.description) lines.push(escapeMarkdown(env.description), '');
    for (const system of env.systems) {
      lines.push(`- **${cell(system.name)}**: ${system.services.map((s) => `\`${s.name}\``).join(', ')}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Text that can sit in a Markdown table cell without breaking it or becoming markup. */
function cell(text: string): string {
  return escapeMarkdown(text).replace(/\|/g, '\\|');
}

export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>#]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}
