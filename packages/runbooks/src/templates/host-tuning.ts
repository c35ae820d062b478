/**
 * An environment's host tuning runbook: each sysctl and resource limit its services need, where it
 * landed (a pod, a Compose container, a host profile's file, a systemd drop-in) and why, the gaps
 * the environment accepts, and the commands that read each value back.
 */
import { hostTuningContext } from '../contexts.js';
import { markdownTemplate } from '../markdown-template.js';

const SOURCE = `# Host tuning of {{md environment}}

{{rich intro}}

## Checking a setting

- A sysctl is read with \`sysctl -n <key>\` where it is set, or as \`/proc/sys/<key, dots as slashes>\` inside a container.
- Do not trust \`sysctl -w\` or \`sysctl --system\` alone: some procps versions exit 0 when a key is read-only (node-level keys are, inside a container), so read the value back with \`sysctl -n\`.
- A process's limits are in \`/proc/<pid>/limits\` (\`Max open files\` is nofile, \`Max processes\` is nproc), soft then hard.
- Node-level keys belong to the machine: no pod or container can set them, so they go into a host profile. Namespaced ones (most of \`net.*\`, \`kernel.shm*\`, \`kernel.msg*\`) are per pod or container.
{{#if kubernetes}}

## Kubernetes pods

{{rich kubernetes.where}}
{{#each kubernetes.pods}}

### {{md service}}

{{#each placement}}
{{rich this}}

{{/each}}
| Setting | Value | Placed in | Why |
| --- | --- | --- | --- |
{{#each settings}}
| {{rich setting cell=true}} | {{rich value cell=true}} | {{rich placed cell=true}} | {{md why cell=true}} |
{{/each}}

{{rich check.title}}

{{code check.commands "sh"}}
{{/each}}
{{/if}}
{{#if compose}}

## Docker Compose containers

{{rich compose.where}}
{{#each compose.containers}}

### {{md service}}

{{rich placement}}

| Setting | Value | Placed in | Why |
| --- | --- | --- | --- |
{{#each settings}}
| {{rich setting cell=true}} | {{rich value cell=true}} | {{rich placed cell=true}} | {{md why cell=true}} |
{{/each}}

{{rich check.title}}

{{code check.commands "sh"}}
{{/each}}
{{/if}}
{{#if profiles}}

## Host profiles
{{#each profiles}}

### Profile {{md name}}

Applies to:

{{#each appliesTo}}
- {{md this}}
{{/each}}

Files:

{{#each files}}
- {{link title href}}: {{rich install}}
{{/each}}
{{#if sysctls}}

| Sysctl | Value | Needed by | Why |
| --- | --- | --- | --- |
{{#each sysctls}}
| {{rich key cell=true}} | {{rich value cell=true}} | {{#if service}}{{md service cell=true}}{{else}}Kiln{{/if}} | {{md why cell=true}} |
{{/each}}
{{/if}}
{{#if limits}}

| User | Limit | Soft | Hard | Needed by | Why |
| --- | --- | --- | --- | --- | --- |
{{#each limits}}
| {{rich domain cell=true}} | {{rich item cell=true}} | {{md soft cell=true}} | {{md hard cell=true}} | {{md service cell=true}} | {{md why cell=true}} |
{{/each}}
{{/if}}
{{#if runtimeLimits}}

| Container runtime default | Soft | Hard | Needed by | Why |
| --- | --- | --- | --- | --- |
{{#each runtimeLimits}}
| {{rich item cell=true}} | {{md soft cell=true}} | {{md hard cell=true}} | {{md service cell=true}} | {{md why cell=true}} |
{{/each}}
{{/if}}
{{#each notes}}

{{rich this}}
{{/each}}
{{#each checks}}

{{rich title}}

{{code commands "sh"}}
{{/each}}
{{/each}}
{{/if}}
{{#if units}}

## systemd units
{{#each units}}

### {{md unit}}

Runs on {{rich machines}}. Drop-in: {{link file.title file.href}}.

{{rich lifecycle}}
{{#if limits}}

| Limit | Soft | Hard | Setting | Why |
| --- | --- | --- | --- | --- |
{{#each limits}}
| {{rich item cell=true}} | {{md soft cell=true}} | {{md hard cell=true}} | {{rich directive cell=true}} | {{md why cell=true}} |
{{/each}}
{{/if}}

{{rich check.title}}

{{code check.commands "sh"}}
{{/each}}
{{/if}}

## Accepted gaps
{{#if accepted}}

Needs the environment leaves unmet on purpose (\`tuning.accept\`): nothing sets them, so the service runs with the kernel's or the runtime's default.

| Service | Need | Why it is accepted |
| --- | --- | --- |
{{#each accepted}}
| {{md service cell=true}} | {{rich need cell=true}} | {{md why cell=true}} |
{{/each}}
{{else}}

None: every need is placed.
{{/if}}

## See also

- {{link "All runbooks of this environment" index}}
`;

export const hostTuningTemplate = markdownTemplate('host-tuning', hostTuningContext, SOURCE);
