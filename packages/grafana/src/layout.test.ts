import { describe, expect, it } from 'vitest';
import type { Dashboard } from '@kiln/model';
import { layoutDashboard } from './layout.js';
import { dashboard, environment, panel } from './fixtures.js';
import type { PanelInput } from '@kiln/model';

/** The resolved dashboard of rows of panels, through the model. */
function resolved(...rows: PanelInput[][]): Dashboard {
  const env = environment({ dashboards: [dashboard({ rows: rows.map((panels, r) => ({ title: `Row ${r}`, panels: panels.map((p, i) => ({ ...p, title: `${r}.${i}` })) })) })] });
  const found = env.systems[0]?.dashboards[0];
  if (!found) throw new Error('no dashboard');
  return found;
}

const codes = (d: Dashboard) => layoutDashboard(d).problems.map((p) => p.code);

describe('automatic layout', () => {
  it('puts each row at full width and fills 24 columns left to right, 12 wide and 8 high by default', () => {
    const { rows, problems } = layoutDashboard(resolved([panel(), panel(), panel()], [panel({ width: 24, height: 4 })]));
    expect(problems).toEqual([]);
    expect(rows[0]?.gridPos).toEqual({ h: 1, w: 24, x: 0, y: 0 });
    expect(rows[0]?.panels).toEqual([
      { h: 8, w: 12, x: 0, y: 1 },
      { h: 8, w: 12, x: 12, y: 1 },
      { h: 8, w: 12, x: 0, y: 9 },
    ]);
    // The next row starts below the tallest column of the one before.
    expect(rows[1]?.gridPos).toEqual({ h: 1, w: 24, x: 0, y: 17 });
    expect(rows[1]?.panels).toEqual([{ h: 4, w: 24, x: 0, y: 18 }]);
  });

  it('wraps a panel that does not fit and rests it on what is above it, as Grafana compacts', () => {
    const { rows } = layoutDashboard(resolved([panel({ width: 8 }), panel({ width: 8, height: 4 }), panel({ width: 16, height: 2 }), panel({ width: 8 })]));
    expect(rows[0]?.panels).toEqual([
      { h: 8, w: 8, x: 0, y: 1 },
      { h: 4, w: 8, x: 8, y: 1 },
      // 8 + 8 + 16 > 24: a new line; it spans the first two columns, so it sits below the taller one.
      { h: 2, w: 16, x: 0, y: 9 },
      // Columns 16–23 are empty: it goes to the top.
      { h: 8, w: 8, x: 16, y: 1 },
    ]);
    // One column too many is too many.
    expect(layoutDashboard(resolved([panel({ width: 16 }), panel({ width: 9 })])).rows[0]?.panels[1]).toEqual({ h: 8, w: 9, x: 0, y: 9 });
  });
});

describe('explicit positions', () => {
  it('keeps them, counted from the top of their row, and flows automatic panels around them', () => {
    const { rows, problems } = layoutDashboard(resolved([panel()], [panel({ gridPos: { x: 0, y: 0, w: 6, h: 4 } }), panel({ width: 24 }), panel({ gridPos: { x: 18, y: 4, w: 6, h: 4 } })]));
    expect(problems).toEqual([]);
    expect(rows[1]?.gridPos.y).toBe(9);
    expect(rows[1]?.panels).toEqual([
      { h: 4, w: 6, x: 0, y: 10 },
      // Full width cannot sit beside either explicit panel: it goes below both.
      { h: 8, w: 24, x: 0, y: 18 },
      { h: 4, w: 6, x: 18, y: 14 },
    ]);
  });

  it('refuses two panels that overlap, naming both', () => {
    const { problems } = layoutDashboard(resolved([panel({ gridPos: { x: 0, y: 0, w: 12, h: 8 } }), panel({ gridPos: { x: 6, y: 4, w: 12, h: 8 } }), panel({ gridPos: { x: 12, y: 0, w: 12, h: 4 } })]));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'GRAFANA_PANEL_OVERLAP', row: 0, panel: 1 });
    expect(problems[0]?.message).toContain("'0.0' and '0.1'");
  });

  it('does not call panels that only touch overlapping', () => {
    expect(codes(resolved([panel({ gridPos: { x: 0, y: 0, w: 12, h: 8 } }), panel({ gridPos: { x: 12, y: 0, w: 12, h: 8 } }), panel({ gridPos: { x: 0, y: 8, w: 24, h: 2 } })]))).toEqual([]);
  });

  it('refuses a panel wider than the grid or running past its right edge', () => {
    expect(codes(resolved([panel({ gridPos: { x: 16, y: 0, w: 12, h: 8 } })]))).toEqual(['GRAFANA_PANEL_WIDTH']);
    expect(codes(resolved([panel({ gridPos: { x: 0, y: 0, w: 30, h: 8 } })]))).toEqual(['GRAFANA_PANEL_WIDTH']);
    expect(codes(resolved([panel({ gridPos: { x: 0, y: 0, w: 0, h: 8 } })]))).toEqual(['GRAFANA_PANEL_WIDTH']);
    expect(layoutDashboard(resolved([panel({ gridPos: { x: 16, y: 0, w: 12, h: 8 } })])).problems[0]?.hint).toBe('use a width of at most 8 at x 16, or a smaller x');
    expect(codes(resolved([panel({ gridPos: { x: 12, y: 0, w: 12, h: 8 } })]))).toEqual([]);
  });

  it('refuses a panel without height (the schema stops it at input; a model built otherwise gets it here)', () => {
    const d = resolved([panel({ gridPos: { x: 0, y: 0, w: 12, h: 1 } })]);
    const broken: Dashboard = { ...d, rows: d.rows.map((row) => ({ ...row, panels: row.panels.map((p) => ({ ...p, gridPos: { x: 0, y: 0, w: 12, h: 0 } })) })) };
    expect(codes(broken)).toEqual(['GRAFANA_PANEL_HEIGHT']);
  });
});
