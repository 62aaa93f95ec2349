// sweep.html: a self-contained page for a sweep, drawn by the run report's renderer (report/render.ts): the first swept
// flag against the grokking epoch (every seed, and the median) and against the final test loss, one pair of figures
// per combination of the other swept flags, then a table of every point linking its run's report.
import type { Figure, LineFigure, Report } from '../report/figures';
import { renderReport } from '../report/render';
import type { SweepRow } from './sweep-file';
import type { Scalar } from './values';

/** At most this many combinations of the other swept flags get figures. */
const MAX_GROUPS = 8;

/**
 * The median of the values that are not null; null when there are none.
 *
 * @example
 * median([300, 500, null, 100]); // 300
 * median([null]);                // null
 */
export function median(values: (number | null)[]): number | null {
  const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const label = (settings: Record<string, Scalar>) => Object.entries(settings).map(([k, v]) => `${k} ${v}`).join(', ');

function groupFigures(rows: SweepRow[], xFlag: string, group: string, index: number): Figure[] {
  const values = [...new Set(rows.map((r) => r.settings[xFlag]!))];
  const numeric = values.every((v) => typeof v === 'number');
  if (numeric) (values as number[]).sort((a, b) => a - b);
  const x = numeric ? (values as number[]) : values.map((_, i) => i);
  const seeds = [...new Set(rows.map((r) => r.settings.seed).filter((s) => s !== undefined))];
  const at = (v: Scalar, seed?: Scalar) => rows.filter((r) => r.settings[xFlag] === v && (seed === undefined || r.settings.seed === seed));
  const xLabel = numeric ? xFlag : `${xFlag} (${values.map((v, i) => `${i} = ${v}`).join(', ')})`;
  const suffix = group ? ` (${group})` : '';
  const series = (pick: (r: SweepRow) => number | null) => [
    ...(xFlag === 'seed' ? [] : seeds.map((s) => ({ label: `seed ${s}`, values: values.map((v) => at(v, s).map(pick)[0] ?? null) }))),
    { label: xFlag === 'seed' || seeds.length === 0 ? 'value' : 'median', values: values.map((v) => median(at(v).map(pick))) },
  ];
  // A run that never grokked is drawn at its last epoch, the top of its budget: the median of such censored values
  // is right (it is the budget when half or more never grokked), and the lines show no false grokking in between.
  const grok: LineFigure = {
    kind: 'line', id: `grok-${index}`, title: `Grokking epoch against ${xFlag}${suffix}`, xLabel, yLabel: 'grokking epoch', x,
    caption: 'The first evaluation from which test accuracy stayed at 99.9% or more. A run that did not grok is drawn at its last epoch (the ceiling of its budget); failed runs are left out.',
    series: series((r) => (r.status === 'done' ? (r.grokkedEpoch ?? r.finalEpoch) : null)),
  };
  const loss: LineFigure = {
    kind: 'line', id: `loss-${index}`, title: `Final test loss against ${xFlag}${suffix}`, xLabel, yLabel: 'test loss', x, logY: true,
    caption: 'At the last evaluation of each run (log scale); failed runs are left out.',
    series: series((r) => (r.status === 'done' ? r.testLoss : null)),
  };
  return [grok, loss];
}

/**
 * The sweep's report: figures of the first swept flag (seeds as series) per combination of the other swept flags.
 *
 * @example
 * renderReport(buildSweepReport('weight decay sweep', ['weight-decay', 'seed'], rows));
 */
export function buildSweepReport(title: string, sweptFlags: string[], rows: SweepRow[]): Report {
  const xFlag = sweptFlags.find((f) => f !== 'seed') ?? 'seed';
  const others = sweptFlags.filter((f) => f !== xFlag && f !== 'seed');
  const groups = new Map<string, SweepRow[]>();
  for (const r of rows) {
    const key = label(Object.fromEntries(others.map((f) => [f, r.settings[f]!])));
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const figures = [...groups].slice(0, MAX_GROUPS).flatMap(([group, rs], i) => groupFigures(rs, xFlag, group, i));
  const done = rows.filter((r) => r.status === 'done');
  const summary = [
    `${rows.length} points over ${sweptFlags.join(', ')}: ${done.length} done, ${rows.filter((r) => r.status === 'failed').length} failed, ${rows.length - done.length - rows.filter((r) => r.status === 'failed').length} not finished`,
    `${done.filter((r) => r.grokkedEpoch !== null).length} of ${done.length} finished runs grokked`,
  ];
  if (groups.size > MAX_GROUPS) summary.push(`figures for the first ${MAX_GROUPS} of ${groups.size} combinations of ${others.join(', ')}; the table lists every point`);
  return { title, summary, sections: [{ title: 'Sweep', figures }] };
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const fmt = (v: number | null, digits = 3) => (v === null ? '' : Number.isInteger(v) ? String(v) : v.toPrecision(digits));

/**
 * The table of every point: its swept values, status and results, linking its run's report.html.
 *
 * @example
 * pointsTable(['weight-decay', 'seed'], rows); // '<section><h2>Points</h2><table>...'
 */
export function pointsTable(sweptFlags: string[], rows: SweepRow[]): string {
  const head = ['point', ...sweptFlags, 'status', 'grokked at', 'final epoch', 'train loss', 'test loss', 'test accuracy', 'key frequencies', 'wall s', 'error'];
  const cells = (r: SweepRow) => [
    `<a href="${escape(encodeURI(`${r.dir}/report.html`))}">${escape(r.id)}</a>`,
    ...sweptFlags.map((f) => escape(String(r.settings[f] ?? ''))),
    r.status, fmt(r.grokkedEpoch), fmt(r.finalEpoch), fmt(r.trainLoss), fmt(r.testLoss),
    r.testAccuracy === null ? '' : `${(100 * r.testAccuracy).toFixed(1)}%`, escape(r.keyFrequencies?.join(', ') ?? ''),
    r.wallSeconds === null ? '' : r.wallSeconds.toFixed(1), escape(r.error ?? ''),
  ];
  return `<section><h2>Points</h2><style>table.points{border-collapse:collapse;font-size:13px}table.points td,table.points th{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}</style>
<table class="points"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>
${rows.map((r) => `<tr data-status="${r.status}">${cells(r).map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n')}
</tbody></table></section>`;
}

/**
 * sweep.html's content: the report renderer's page with the points table added at the end of its body.
 *
 * @example
 * writeFileAtomic(join(dir, 'sweep.html'), renderSweepHtml('weight decay', ['weight-decay', 'seed'], rows));
 */
export function renderSweepHtml(title: string, sweptFlags: string[], rows: SweepRow[]): string {
  const page = renderReport(buildSweepReport(title, sweptFlags, rows));
  const at = page.lastIndexOf('</body>');
  return `${page.slice(0, at)}${pointsTable(sweptFlags, rows)}\n${page.slice(at)}`;
}
