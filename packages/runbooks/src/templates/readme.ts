/**
 * An environment's runbooks/README.md: its alerts by severity and its procedures, each linking its
 * runbook, and its topology: a Mermaid diagram with the same facts in tables beside it (the tables
 * are exact; the diagram's labels can only hold letters, digits and spaces).
 */
import { indexContext } from '../contexts.js';
import { markdownTemplate } from '../markdown-template.js';

const SOURCE = `# Runbooks of {{md environment}}
{{#if description}}

{{md description}}
{{/if}}

{{rich facts}}

## Alerts
{{#each severities}}

### {{md title}}

| Alert | System | Summary |
| --- | --- | --- |
{{#each alerts}}
| {{link name href cell=true}} | {{md system cell=true}} | {{md summary cell=true}} |
{{/each}}
{{else}}

The environment has no alerts.
{{/each}}

## Procedures
{{#if procedures}}

| Procedure | System | When to follow it |
| --- | --- | --- |
{{#each procedures}}
| {{link title href cell=true}} | {{md system cell=true}} | {{md summary cell=true}} |
{{/each}}
{{else}}

The environment has no procedures.
{{/if}}
{{#if hostTuning}}

## Host tuning

Every sysctl and resource limit the services need, where it landed, why, and how to check it: {{link "Host tuning" hostTuning}}.
{{/if}}

## Stops, restarts and secret rotation

| Service | Drains on | Sent as | SIGKILL after |
| --- | --- | --- | --- |
{{#each stops}}
| {{md service cell=true}} | {{md signal cell=true}} | {{rich sent cell=true}} | {{md grace cell=true}} |
{{/each}}

Restarts:

{{#each restarts}}
- {{rich this}}
{{/each}}
{{#if rotations}}

Secrets rotated outside git:

| Secret | Service | Rotation | How the new value arrives |
| --- | --- | --- | --- |
{{#each rotations}}
| {{md secret cell=true}} | {{md service cell=true}} | {{md mode cell=true}} | {{rich how cell=true}} |
{{/each}}
{{else}}

No secret declares a rotation mode: a secret changed in the store reaches a service when it next restarts.
{{/if}}

## Topology

{{code diagram "mermaid"}}

### Services

| Service | System | Runs as | Ports |
| --- | --- | --- | --- |
{{#each services}}
| {{md name cell=true}} | {{md system cell=true}} | {{md kind cell=true}} | {{md ports cell=true}} |
{{/each}}

### Flows
{{#if flows}}

| From | To | Port |
| --- | --- | --- |
{{#each flows}}
| {{md from cell=true}} | {{md to cell=true}} | {{md port cell=true}} |
{{/each}}
{{else}}

No flows between services are declared.
{{/if}}
{{#if externals}}

### Endpoints outside the environment

| Endpoint | Where | Ports | Flows |
| --- | --- | --- | --- |
{{#each externals}}
| {{md name cell=true}} | {{md where cell=true}} | {{md ports cell=true}} | {{md flows cell=true}} |
{{/each}}
{{/if}}

### Public entry points
{{#if entryPoints}}

{{#each entryPoints}}
- {{md service}}: {{md port}}
{{/each}}
{{else}}

Nothing is exposed publicly.
{{/if}}
`;

export const indexTemplate = markdownTemplate('index', indexContext, SOURCE);
