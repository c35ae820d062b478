/**
 * The runbook of one alert name: what it means, when it fires (in words and in PromQL), impact,
 * diagnosis, mitigation, escalation, the panel that shows it, and the commands for the
 * environment's targets. An alert name defined at several severities gets a section per severity.
 */
import { alertContext } from '../contexts.js';
import { markdownTemplate } from '../markdown-template.js';

const SOURCE = `# {{md name}}

{{rich intro}}
{{#each variants}}
{{#if heading}}

{{heading 2 heading}}
{{/if}}

{{heading level "What it means"}}

{{md summary}}

{{md description}}
{{#if slo}}

{{rich slo}}
{{/if}}

{{heading level "When it fires"}}

{{rich condition}}
{{#if labels}}

{{rich labels}}
{{/if}}

{{code expr "promql"}}

{{heading level "Impact"}}

{{md impact}}

{{heading level "Diagnosis"}}

{{ol diagnosis}}

{{heading level "Mitigation"}}

{{ol mitigation}}

{{heading level "Escalation"}}

{{#if escalation}}
{{md escalation}}
{{else}}
The runbook names no escalation path.
{{/if}}

{{heading level "Dashboard"}}

{{#if panel}}
{{#if panel.grafana}}
{{link panel.panel panel.href}}, panel {{md panel.id}} of the dashboard {{md panel.dashboard}} in Grafana.
{{else}}
Panel {{md panel.panel}} (id {{md panel.id}}) of the dashboard {{link panel.dashboard panel.href}}: the environment declares no Grafana address (\`monitoring.grafana.url\`), so this links the dashboard's JSON.
{{/if}}
{{else}}
No panel is linked to this alert (\`runbook.panel\`).
{{/if}}
{{/each}}

## Commands
{{#each commands}}

### {{md title}}

{{rich where}}
{{#each services}}

{{rich about}}:
{{#if commands}}

{{code commands "sh"}}
{{/if}}
{{/each}}
{{else}}

The environment has no target to run commands on.
{{/each}}

## See also

{{link "All runbooks of this environment" index}}
`;

export const alertTemplate = markdownTemplate('alert', alertContext, SOURCE);
