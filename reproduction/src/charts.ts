// Chart building blocks as Vega-Lite specs (plain data; render.ts draws them): the reproduction's figures are files
// that can be regenerated from results.json and reviewed in diffs.
import type { TopLevelSpec } from 'vega-lite';
import type { Span } from './results';

/** A Vega-Lite spec; the chart helpers below build them. */
export type ChartSpec = TopLevelSpec;
type Row = Record<string, number | string | null>;

const WIDTH = 460;
const HEIGHT = 240;

/**
 * Long rows from named series over a shared x, dropping nulls (and non-positive values on a log axis).
 *
 * @example
 * seriesRows([1, 2], { train: [0.5, 0.1], test: [null, 0.3] }, true); // 3 rows
 */
export function seriesRows(x: readonly number[], series: Record<string, readonly (number | null)[]>, log: boolean): Row[] {
  const rows: Row[] = [];
  for (const [name, ys] of Object.entries(series)) {
    ys.forEach((y, i) => {
      if (y === null || !Number.isFinite(y) || (log && y <= 0)) return;
      rows.push({ x: x[i]!, y, series: name });
    });
  }
  return rows;
}

/** A line chart's options. */
export interface LineChartOptions {
  title: string;
  x: string;
  y: string;
  rows: Row[];
  log?: boolean;
  /** Shaded spans of x, labelled (the phases). */
  spans?: { label: string; span: Span }[];
  /** Vertical rules at x, labelled (a grokking epoch). */
  rules?: { label: string; x: number }[];
  /** Series colour order (default: as they come). */
  order?: string[];
  /** A facet row field in the rows (one panel per value). */
  facet?: string;
}

/**
 * A line chart of long rows {x, y, series}: one line per series, optional shaded spans and rules.
 *
 * @example
 * lineChart({ title: 'Loss', x: 'epoch', y: 'loss', rows: seriesRows(epochs, { train, test }, true), log: true });
 */
export function lineChart(o: LineChartOptions): ChartSpec {
  const x = { field: 'x', type: 'quantitative', title: o.x } as const;
  const layers: object[] = [];
  if (o.spans?.length) {
    layers.push({
      data: { values: o.spans.map((s) => ({ start: s.span.start, end: s.span.end, phase: s.label })) },
      mark: { type: 'rect', opacity: 0.12 },
      encoding: { x: { field: 'start', type: 'quantitative' }, x2: { field: 'end' },
        color: { field: 'phase', type: 'nominal', title: 'phase', scale: { domain: o.spans.map((s) => s.label), scheme: 'set2' } } },
    });
  }
  layers.push({
    mark: { type: 'line', strokeWidth: 1.4, clip: true },
    encoding: {
      x, y: { field: 'y', type: 'quantitative', title: o.y, scale: o.log ? { type: 'log' } : { zero: false } },
      stroke: { field: 'series', type: 'nominal', title: null, sort: o.order ?? null, scale: { scheme: new Set(o.rows.map((r) => r.series)).size > 10 ? 'tableau20' : 'category10' } },
    },
  });
  if (o.rules?.length) {
    layers.push({
      data: { values: o.rules.map((r) => ({ x: r.x, label: r.label })) },
      layer: [
        { mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { x: { field: 'x', type: 'quantitative' } } },
        { mark: { type: 'text', align: 'left', dx: 3, dy: -4, baseline: 'bottom', fontSize: 10, color: '#333' },
          encoding: { x: { field: 'x', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } } },
      ],
    });
  }
  const inner = { width: WIDTH, height: o.facet ? 150 : HEIGHT, layer: layers };
  if (o.facet) {
    return { data: { values: o.rows }, title: o.title, facet: { row: { field: o.facet, type: 'nominal', title: null } }, spec: inner, resolve: { scale: { y: 'independent' } } } as ChartSpec;
  }
  return { data: { values: o.rows }, title: o.title, ...inner } as ChartSpec;
}

/** A scatter of one outcome against a swept value, with the median per value as a line. */
export interface SweepChartOptions {
  title: string;
  x: string;
  y: string;
  /** One row per run: x, y (null: did not reach it within the budget), seed. */
  points: { x: number | string; y: number | null; seed: number }[];
  /** Where runs with y null are drawn, labelled. */
  budget: number;
  logX?: boolean;
}

/**
 * Outcome (e.g. the grokking epoch) against a swept setting: a dot per run and seed, runs that did not get there at
 * the budget as crosses, and the median of those that did as a line.
 *
 * @example
 * sweepChart({ title: 'Grokking epoch', x: 'train fraction', y: 'epoch', points, budget: 3000 });
 */
export function sweepChart(o: SweepChartOptions): ChartSpec {
  const rows = o.points.map((p) => ({ x: p.x, y: p.y ?? o.budget, seed: `seed ${p.seed}`, outcome: p.y === null ? `not within ${o.budget}` : 'reached' }));
  const nominal = o.points.some((p) => typeof p.x === 'string');
  // Swept values in the order given (the sweep's), not the order the layers happen to meet them.
  const domain = [...new Set(o.points.map((p) => p.x))];
  const x = nominal
    ? { field: 'x', type: 'ordinal', title: o.x, scale: { domain }, axis: { labelAngle: 0 } }
    : { field: 'x', type: 'quantitative', title: o.x, scale: o.logX ? { type: 'log' } : { zero: false } };
  return {
    title: o.title, width: WIDTH, height: HEIGHT, data: { values: rows },
    layer: [
      { transform: [{ filter: "datum.outcome === 'reached'" }, { aggregate: [{ op: 'median', field: 'y', as: 'median' }], groupby: ['x'] }],
        mark: { type: 'line', color: '#999', point: false }, encoding: { x, y: { field: 'median', type: 'quantitative' } } },
      { mark: { type: 'point', filled: true, size: 50, opacity: 0.8 },
        encoding: { x, y: { field: 'y', type: 'quantitative', title: o.y }, color: { field: 'seed', type: 'nominal', title: null },
          shape: { field: 'outcome', type: 'nominal', title: null, scale: { domain: ['reached', `not within ${o.budget}`], range: ['circle', 'cross'] } } } },
    ],
  } as ChartSpec;
}

/** A bar chart of named values (e.g. neurons per frequency cluster), one panel per group when given. */
export function barChart(title: string, x: string, y: string, rows: { x: number | string; y: number; group?: string }[]): ChartSpec {
  const grouped = rows.some((r) => r.group !== undefined);
  // Many categories (every frequency of Z_p): label every fifth, upright.
  const many = new Set(rows.map((r) => r.x)).size > 20;
  const axis = many ? { labelAngle: 0, labelExpr: 'datum.value % 5 === 0 ? datum.label : \'\'' } : {};
  const inner = {
    width: WIDTH, height: grouped ? 90 : HEIGHT, mark: { type: 'bar' },
    encoding: { x: { field: 'x', type: 'ordinal', title: x, sort: null, axis }, y: { field: 'y', type: 'quantitative', title: y, scale: { zero: true } } },
  };
  if (grouped) return { title, data: { values: rows }, facet: { row: { field: 'group', type: 'nominal', title: null } }, spec: inner } as ChartSpec;
  return { title, data: { values: rows }, ...inner } as ChartSpec;
}
