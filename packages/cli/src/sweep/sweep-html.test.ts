// sweep.html's content from hand-made rows with known answers: the median that counts "never" as never, the
// per-seed and median series, and the points table (escaped, linking each report).
import { emptyRow, type SweepRow } from './sweep-file';
import { buildSweepReport, median, pointsTable, renderSweepHtml } from './sweep-html';
import type { LineFigure } from '../report/figures';

function row(wd: number, seed: number, grokkedEpoch: number | null, testLoss: number): SweepRow {
  const id = `weight-decay=${wd}_seed=${seed}`;
  return { ...emptyRow(id, `points/${id}`, { 'weight-decay': wd, seed }, 'done'), grokkedEpoch, testLoss, finalEpoch: 1000 };
}

describe('median', () => {
  it('is the median of the values present', () => {
    expect(median([300, 100, 200])).toBe(200);
    expect(median([100, 300, null, 500, 700])).toBe(400);
    expect(median([null])).toBeNull();
    expect(median([])).toBeNull();
  });
});

describe('buildSweepReport', () => {
  // Weight decay 1 and 0.1 sorted on the x axis; seed 1 never groks at 0.1.
  const rows = [row(1, 0, 400, 0.01), row(1, 1, 600, 0.02), row(0.1, 0, 900, 0.5), row(0.1, 1, null, 3)];
  const report = buildSweepReport('wd', ['weight-decay', 'seed'], rows);
  const [grok, loss] = report.sections[0]!.figures as LineFigure[];

  it('plots the swept flag against the grokking epoch per seed and the median, a run that never grokked at its last epoch', () => {
    expect(grok!.x).toEqual([0.1, 1]);
    expect(grok!.series).toEqual([
      { label: 'seed 0', values: [900, 400] },
      { label: 'seed 1', values: [1000, 600] },
      { label: 'median', values: [950, 500] },
    ]);
  });

  it('leaves failed runs out', () => {
    const failed = [...rows.slice(0, 3), { ...rows[3]!, status: 'failed' as const, finalEpoch: 2 }];
    const [g] = buildSweepReport('wd', ['weight-decay', 'seed'], failed).sections[0]!.figures as LineFigure[];
    expect(g!.series.map((s) => s.values)).toEqual([[900, 400], [null, 600], [900, 500]]);
  });

  it('plots the final test loss, with its median', () => {
    expect(loss!.logY).toBe(true);
    expect(loss!.series.at(-1)).toEqual({ label: 'median', values: [1.75, 0.015] });
    expect(report.summary).toEqual(['4 points over weight-decay, seed: 4 done, 0 failed, 0 not finished', '3 of 4 finished runs grokked']);
  });

  it('makes one pair of figures per combination of the other swept flags', () => {
    const two = [...rows.map((r) => ({ ...r, settings: { ...r.settings, lr: 0.001 } })), ...rows.map((r) => ({ ...r, settings: { ...r.settings, lr: 0.01 } }))];
    const figures = buildSweepReport('wd', ['weight-decay', 'lr', 'seed'], two).sections[0]!.figures;
    expect(figures.map((f) => f.title)).toEqual([
      'Grokking epoch against weight-decay (lr 0.001)', 'Final test loss against weight-decay (lr 0.001)',
      'Grokking epoch against weight-decay (lr 0.01)', 'Final test loss against weight-decay (lr 0.01)',
    ]);
  });
});

describe('the points table', () => {
  it('links every report and escapes what it shows', () => {
    const failed = { ...emptyRow('lr=1e+30', 'points/lr=1e+30', { lr: 1e30 }, 'failed'), error: 'loss <NaN> & "worse"' };
    const html = pointsTable(['lr'], [failed]);
    expect(html).toContain('<a href="points/lr=1e+30/report.html">lr=1e+30</a>');
    expect(html).toContain('loss &lt;NaN&gt; &amp; &quot;worse&quot;');
    expect(html).toContain('<tr data-status="failed">');
  });

  it('goes at the end of the rendered page', () => {
    const page = renderSweepHtml('wd', ['weight-decay', 'seed'], [row(1, 0, 400, 0.01)]);
    expect(page.indexOf('<table class="points">')).toBeGreaterThan(page.indexOf('id="report-data"'));
    expect(page.trimEnd().endsWith('</body></html>')).toBe(true);
  });
});
