/**
 * The grid layout of a dashboard. Each row is a full-width `row` panel; below it the row's panels
 * fill Grafana's 24 columns left to right (width 12 and height 8 unless given), wrapping, each one
 * resting on whatever is above it in its columns. That is where Grafana's own vertical compaction
 * would move it anyway, so the file shows what the screen shows.
 *
 * A panel with an explicit `gridPos` keeps it, with `y` counted from the top of its row (rows move
 * as the rows above them grow; a position inside the row does not). Explicit positions are checked
 * the way Grafana's grid needs them: 0 < w ≤ 24, x + w ≤ 24, h > 0, and no two panels overlap.
 * Automatic panels flow around explicit ones.
 */
import type { GridPos } from '@grafana/schema';
import type { Dashboard } from '@kiln/model';
import { GrafanaCode } from './codes.js';

export const GRID_COLUMNS = 24;
export const DEFAULT_WIDTH = 12;
export const DEFAULT_HEIGHT = 8;
const ROW_HEIGHT = 1;

export interface RowLayout {
  /** The row panel's own position. */
  readonly gridPos: GridPos;
  /** Each panel's position, in the order of the row's panels. */
  readonly panels: readonly GridPos[];
}

export interface LayoutProblem {
  readonly code: GrafanaCode;
  readonly message: string;
  readonly hint: string;
  /** Indexes of the row and panel the problem is about. */
  readonly row: number;
  readonly panel: number;
}

interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

export function layoutDashboard(dashboard: Dashboard): { rows: RowLayout[]; problems: LayoutProblem[] } {
  const problems: LayoutProblem[] = [];
  const rows: RowLayout[] = [];
  let top = 0;
  dashboard.rows.forEach((row, r) => {
    const explicit: { rect: Rect; index: number }[] = [];
    row.panels.forEach((panel, p) => {
      if (!panel.gridPos) return;
      const rect = panel.gridPos;
      const problem = checkExplicit(rect, panel.title);
      if (problem) problems.push({ ...problem, row: r, panel: p });
      for (const other of explicit) {
        if (!overlaps(rect, other.rect)) continue;
        const first = row.panels[other.index]?.title ?? '';
        problems.push({
          code: GrafanaCode.GRAFANA_PANEL_OVERLAP,
          message: `panels '${first}' and '${panel.title}' of row '${row.title}' overlap (${describe(other.rect)} and ${describe(rect)})`,
          hint: `start '${panel.title}' at y ${other.rect.y + other.rect.h} (below '${first}'), or drop its gridPos to place it automatically`,
          row: r,
          panel: p,
        });
      }
      explicit.push({ rect, index: p });
    });

    // Automatic panels: the column heights so far decide where each one rests.
    const skyline = new Array<number>(GRID_COLUMNS).fill(0);
    const placed: Rect[] = explicit.map((e) => e.rect);
    let x = 0;
    const relative = row.panels.map((panel): Rect => {
      if (panel.gridPos) return panel.gridPos;
      const w = Math.min(panel.width ?? DEFAULT_WIDTH, GRID_COLUMNS);
      const h = panel.height ?? DEFAULT_HEIGHT;
      if (x + w > GRID_COLUMNS) x = 0;
      let y = Math.max(...skyline.slice(x, x + w));
      for (let blocker = placed.find((o) => overlaps({ x, y, w, h }, o)); blocker; blocker = placed.find((o) => overlaps({ x, y, w, h }, o))) {
        y = blocker.y + blocker.h;
      }
      const rect = { x, y, w, h };
      placed.push(rect);
      skyline.fill(y + h, x, x + w);
      x += w;
      return rect;
    });

    const contentTop = top + ROW_HEIGHT;
    rows.push({
      gridPos: { h: ROW_HEIGHT, w: GRID_COLUMNS, x: 0, y: top },
      panels: relative.map((rect) => ({ h: rect.h, w: rect.w, x: rect.x, y: contentTop + rect.y })),
    });
    top = contentTop + Math.max(0, ...placed.map((rect) => rect.y + rect.h));
  });
  return { rows, problems };
}

function checkExplicit(rect: Rect, title: string): Omit<LayoutProblem, 'row' | 'panel'> | undefined {
  if (rect.w <= 0 || rect.w > GRID_COLUMNS || rect.x < 0 || rect.x + rect.w > GRID_COLUMNS) {
    const room = GRID_COLUMNS - Math.max(0, rect.x);
    return {
      code: GrafanaCode.GRAFANA_PANEL_WIDTH,
      message: `panel '${title}' at x ${rect.x} with width ${rect.w} does not fit the ${GRID_COLUMNS}-column grid (0 < w ≤ 24 and x + w ≤ 24)`,
      hint: room > 0 && rect.x >= 0 ? `use a width of at most ${room} at x ${rect.x}, or a smaller x` : 'start the panel at x 0 to 23',
    };
  }
  if (rect.h <= 0) {
    return { code: GrafanaCode.GRAFANA_PANEL_HEIGHT, message: `panel '${title}' has height ${rect.h}`, hint: `give it a height of at least 1 (panels default to ${DEFAULT_HEIGHT})` };
  }
  return undefined;
}

function describe(rect: Rect): string {
  return `x ${rect.x}–${rect.x + rect.w - 1}, y ${rect.y}–${rect.y + rect.h - 1}`;
}
