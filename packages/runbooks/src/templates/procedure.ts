/**
 * The runbook of one procedure: when to follow it, its steps numbered with the command for each of
 * the environment's targets, the panels to watch and the runbooks it continues with.
 */
import { procedureContext } from '../contexts.js';
import { markdownTemplate } from '../markdown-template.js';

const SOURCE = `# {{md title}}

## When to follow it

{{md summary}}

## Steps
{{#each steps}}

{{md number}}. {{md text}}
{{#each runs}}
{{#if title}}

{{md title indent=../indent}}:
{{/if}}

{{code command "sh" indent=../indent}}
{{/each}}
{{/each}}
{{#if panels}}

## Panels to watch

{{#each panels}}
- {{link panel href}} on {{md dashboard}}{{#unless grafana}} (dashboard JSON, panel id {{md id}}){{/unless}}
{{/each}}
{{/if}}

## See also

{{#each see}}
- {{link title href}}
{{/each}}
- {{link "All runbooks of this environment" index}}
`;

export const procedureTemplate = markdownTemplate('procedure', procedureContext, SOURCE);
