/** Every diagnostic code the runbook emitter reports: one place, so the list is the documentation. */
export const RunbooksCode = {
  /**
   * Two runbooks would share a file: an alert and a procedure whose names differ only in case
   * (`Rollback`, `rollback`; one file on a case-insensitive disk), or a name that is the index's
   * (`README`), or the host tuning runbook's (`host-tuning`).
   */
  RUNBOOK_NAME_TAKEN: 'RUNBOOK_NAME_TAKEN',
} as const;
export type RunbooksCode = (typeof RunbooksCode)[keyof typeof RunbooksCode];
