/**
 * The runbook emitter: for every environment, a runbook per alert name (SLO alerts included) at
 * the model's `runbookPath`, where the alerts' `runbook_url` points, a runbook per procedure at
 * `procedurePath`, runbooks/host-tuning.md where a service needs a sysctl or a limit (or a gap is
 * accepted), runbooks/database-<service>.md for each managed database, and runbooks/README.md
 * with the index and the topology. Markdown only, rendered
 * from Kiln's own Handlebars templates.
 */
import { sourcePath } from '@kiln/core';
import type { Diagnostic, Emitter, Output } from '@kiln/core';
import { procedurePath, runbookPath, systemSource } from '@kiln/model';
import { environmentIndex } from '@kiln/promql';
import { alertContext, alertGroups } from './alert-runbook.js';
import { RunbooksCode } from './codes.js';
import { databaseRunbook, databaseRunbookPath, managedDatabases } from './database-runbook.js';
import { hostTuningContext, needsHostTuning } from './host-tuning.js';
import { hostTuningPath, indexPath } from './paths.js';
import { procedureContext } from './procedure-runbook.js';
import { indexContext } from './readme.js';
import { alertTemplate } from './templates/alert.js';
import { databaseTemplate } from './templates/database.js';
import { hostTuningTemplate } from './templates/host-tuning.js';
import { procedureTemplate } from './templates/procedure.js';
import { indexTemplate } from './templates/readme.js';

const INDEX_HOLDER = 'the runbook index';
const HOST_TUNING_HOLDER = 'the host tuning runbook';

export const runbooksEmitter: Emitter = {
  name: 'runbooks',
  emit(environment) {
    const outputs: Output[] = [];
    const diagnostics: Diagnostic[] = [];
    const index = environmentIndex(environment);
    // Case-folded, as on a case-insensitive disk; the index's own name is taken from the start.
    const taken = new Map<string, string>([[indexPath(environment.name).toLowerCase(), INDEX_HOLDER]]);
    const hostTuning = needsHostTuning(environment);
    if (hostTuning) taken.set(hostTuningPath(environment.name).toLowerCase(), HOST_TUNING_HOLDER);
    const claim = (path: string, what: string, where: { file: string; path: string }): boolean => {
      const holder = taken.get(path.toLowerCase());
      if (holder === undefined) {
        taken.set(path.toLowerCase(), what);
        return true;
      }
      diagnostics.push({
        code: RunbooksCode.RUNBOOK_NAME_TAKEN,
        severity: 'error',
        ...where,
        message: `the runbook of ${what} would be generated/${path}, the file of ${holder} (names are compared ignoring case, as a case-insensitive disk does)`,
        hint: holder === INDEX_HOLDER || holder === HOST_TUNING_HOLDER ? `rename ${what}` : `rename ${what} or ${holder}`,
      });
      return false;
    };
    for (const group of alertGroups(environment)) {
      const first = group.alerts[0];
      if (!first) continue;
      const path = runbookPath(environment.name, group);
      const where = first.alert.slo === undefined ? sourcePath(['alerts', { name: group.name }, 'name']) : sourcePath(['slos', { name: first.alert.slo }, 'name']);
      if (!claim(path, `alert '${group.name}'`, { file: first.system.source, path: where })) continue;
      outputs.push({ path, format: 'markdown', text: alertTemplate.render(alertContext(environment, index, group)) });
    }
    for (const system of environment.systems) {
      for (const procedure of system.procedures) {
        const path = procedurePath(environment.name, procedure);
        if (!claim(path, `procedure '${procedure.name}'`, { file: system.source, path: sourcePath(['procedures', { name: procedure.name }, 'name']) })) continue;
        outputs.push({ path, format: 'markdown', text: procedureTemplate.render(procedureContext(environment, procedure)) });
      }
    }
    if (hostTuning) outputs.push({ path: hostTuningPath(environment.name), format: 'markdown', text: hostTuningTemplate.render(hostTuningContext(environment)) });
    for (const database of managedDatabases(environment)) {
      const path = databaseRunbookPath(environment.name, database);
      if (!claim(path, `database '${database.name}'`, { file: systemSource(environment, database), path: sourcePath(['services', { name: database.name }, 'database']) })) continue;
      outputs.push({ path, format: 'markdown', text: databaseTemplate.render(databaseRunbook(environment, database)) });
    }
    outputs.push({ path: indexPath(environment.name), format: 'markdown', text: indexTemplate.render(indexContext(environment)) });
    return { outputs, diagnostics };
  },
};
