/**
 * The checks grafana/dashboard-linter runs on a saved dashboard, run on the model instead, where a
 * finding can name the author's file and field: every panel has a title, a description, a unit
 * Grafana knows and at least one query, and every query passes the PromQL checks (queries.ts).
 * The datasource rules (templated datasource, panels using it) hold by construction: Kiln writes
 * the variable and the references itself.
 */
import type { PathSegment } from '@kiln/core';
import type { Panel } from '@kiln/model';
import { GrafanaCode } from './codes.js';
import { checkQuery } from './queries.js';
import type { QueryContext, QueryProblem } from './queries.js';
import { isGrafanaUnit, suggestUnit } from './units.js';

export interface PanelProblem extends QueryProblem {
  /** Path inside the panel (`['unit']`, `['queries', { name: '0' }, 'expr']`). */
  readonly at: readonly PathSegment[];
}

export function checkPanel(panel: Panel, context: QueryContext): PanelProblem[] {
  const problems: PanelProblem[] = [];
  if (panel.title.trim() === '') {
    problems.push({ at: ['title'], code: GrafanaCode.GRAFANA_PANEL_TITLE, message: 'the panel has no title', hint: 'name what it shows; links and runbooks find panels by title' });
  }
  if (panel.description.trim() === '') {
    problems.push({ at: ['description'], code: GrafanaCode.GRAFANA_PANEL_DESCRIPTION, message: `panel '${panel.title}' has no description`, hint: 'say what the panel shows and what a bad value looks like; Grafana shows it on the panel' });
  }
  if (!isGrafanaUnit(panel.unit)) {
    const near = suggestUnit(panel.unit);
    problems.push({
      at: ['unit'],
      code: GrafanaCode.GRAFANA_UNKNOWN_UNIT,
      message: `Grafana has no unit '${panel.unit}': it would print the value with '${panel.unit}' as a plain suffix, unscaled`,
      hint: `${near ? `did you mean '${near}'? ` : ''}use a Grafana unit id (s, ms, bytes, percentunit, reqps, short …) or a custom unit such as 'suffix: jobs'`,
    });
  }
  if (panel.queries.length === 0) {
    problems.push({ at: ['queries'], code: GrafanaCode.GRAFANA_PANEL_NO_TARGETS, message: `panel '${panel.title}' has no query`, hint: 'give it at least one PromQL query, or remove the panel' });
  }
  panel.queries.forEach((query, q) => {
    for (const problem of checkQuery(query.expr, context)) problems.push({ ...problem, at: ['queries', { name: String(q) }, 'expr'] });
  });
  return problems;
}
