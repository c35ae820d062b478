/**
 * A managed database's runbook: where it runs on each target and how to look at it, its clients,
 * failover, backups and point-in-time recovery.
 */
import { databaseContext } from '../database-runbook.js';
import { markdownTemplate } from '../markdown-template.js';

const SOURCE = `# Database {{md service}}

{{rich intro}}

## Where it runs
{{#each targets}}

### {{md title}}

{{#each facts}}
- {{rich this}}
{{/each}}

{{code commands "sh"}}
{{/each}}

## Clients
{{#if clients}}

| Service | Variable | Setting |
| --- | --- | --- |
{{#each clients}}
| {{md service cell=true}} | {{md variable cell=true}} | {{md setting cell=true}} |
{{/each}}
{{else}}

No service reads its connection settings through Kiln (\`databaseEnv\`).
{{/if}}

## Failover

{{#each failover}}
- {{rich this}}
{{/each}}

## Backups

{{#each backups}}
- {{rich this}}
{{/each}}
{{#if recovery}}

## Point-in-time recovery

{{#each recovery.steps}}
1. {{rich this}}
{{/each}}

{{code recovery.manifest "yaml"}}
{{/if}}
{{#if notes}}

## Notes

{{#each notes}}
- {{rich this}}
{{/each}}
{{/if}}

## See also

- {{link "All runbooks of this environment" index}}
`;

export const databaseTemplate = markdownTemplate('database', databaseContext, SOURCE);
