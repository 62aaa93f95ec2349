// End to end per task family, small sizes: `grok train --preset X` then the report, whose figures are the task's own
// (per-digit phase changes, the induction head forming, one phase change per skip trigram), drawn in headless Chromium.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportInBrowser } from './testing/report-in-browser';

const BIN = join(__dirname, '..', 'dist', 'bin.js');
const SMALL = ['--d-model', '32', '--n-heads', '4', '--lr', '0.01', '--backend', 'wasm', '--seed', '1'];

function trainAndReport(args: string[]): { dir: string; analysis: ReturnType<typeof JSON.parse> } {
  const dir = mkdtempSync(join(tmpdir(), 'grok-task-'));
  const r = spawnSync(process.execPath, [BIN, 'train', ...SMALL, ...args, '--out', dir], { encoding: 'utf8', env: { ...process.env, GROKKING_WASM_THREADS: '1' } });
  if (r.status !== 0) throw new Error(`grok train ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return { dir, analysis: JSON.parse(readFileSync(join(dir, 'analysis.json'), 'utf8')) };
}

async function expectFigures(dir: string, ids: string[]): Promise<void> {
  const { figures, errors } = await reportInBrowser(dir);
  expect(figures.map((f) => f.id)).toEqual(expect.arrayContaining(ids.map((id) => `fig-${id}`)));
  expect(figures.filter((f) => f.rendered !== 'true' || f.drawn === 0)).toEqual([]);
  expect(errors).toEqual([]);
}

describe('digit addition', () => {
  it('finds each digit\'s phase change, the order, and the carries, and shows them', async () => {
    const { dir, analysis } = trainAndReport(['--preset', 'digit-addition', '--digits', '2', '--train-size', '300', '--test-size', '200',
      '--epochs', '200', '--eval-every', '10', '--checkpoint-every', '50', '--weight-decay', '0.1', '--lr', '0.003']);
    const t = analysis.taskAnalysis;
    expect(t.kind).toBe('digit-addition');
    expect(t.carries.names).toEqual(['digit 0', 'digit 1', 'digit 2']);
    expect(t.carries.carry[0]).toBeGreaterThan(0.2); // the top digit is a carry out of the tens
    expect(t.slotPhases.test.slots).toHaveLength(3);
    // In 200 epochs all three digits are memorised, each with its own steep fall; the test set sees at least one.
    expect([...t.slotPhases.train.order].sort()).toEqual(['digit 0', 'digit 1', 'digit 2']);
    expect(t.slotPhases.test.order.length).toBeGreaterThan(0);
    await expectFigures(dir, ['digit-loss-test', 'digit-loss-train', 'digit-phases']);
  }, 240_000);
});

describe('max element', () => {
  it('measures attention to the max per checkpoint and a phase change per answer value, and shows them', async () => {
    const { dir, analysis } = trainAndReport(['--preset', 'max-element', '--epochs', '300', '--eval-every', '10',
      '--checkpoint-every', '50', '--batch-size', '64', '--test-size', '200']);
    const t = analysis.taskAnalysis;
    expect(t.kind).toBe('max-element');
    expect(t.maxAttention.map((p: { epoch: number }) => p.epoch)).toEqual(expect.arrayContaining([0, 50, 300]));
    expect(t.maxAttention.at(-1).byLayer[0]).toHaveLength(4);
    // Learning the max means attending to it: the best head beats uniform attention by the end.
    expect(Math.max(...t.maxAttention.at(-1).byLayer[0])).toBeGreaterThan(t.baseline);
    expect(t.targetPhases.slots.length).toBeGreaterThan(0);
    const metrics = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(Object.keys(metrics.at(-1).targetLoss).some((k) => k.startsWith('test '))).toBe(true); // recorded live
    await expectFigures(dir, ['target-loss', 'target-phases', 'max-attention']);
  }, 240_000);
});

describe('repeated subsequences', () => {
  it('scores every head per checkpoint, finds the best induction and previous-token heads, and shows them', async () => {
    const { dir, analysis } = trainAndReport(['--preset', 'repeated-subsequence-infinite', '--epochs', '200', '--eval-every', '20',
      '--checkpoint-every', '50', '--batch-size', '32', '--test-size', '100']);
    const t = analysis.taskAnalysis;
    expect(t.kind).toBe('repeated-subsequence');
    expect(t.points.length).toBeGreaterThanOrEqual(5);
    expect(t.points[0].induction).toHaveLength(2); // two layers
    expect(t.points[0].induction[1]).toHaveLength(4); // four heads
    const n = t.sample.tokens.length;
    expect(t.sample.induction).toHaveLength(n);
    for (const row of t.sample.previousToken) expect(row.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 4); // rows of a pattern sum to 1
    await expectFigures(dir, ['repeat-loss', 'induction-scores', 'previous-token-scores', 'induction-pattern', 'previous-token-pattern']);
  }, 240_000);
});

describe('modular subtraction', () => {
  it('is read by the Fourier analysis in its group, x - y, and shows the algorithm and the circuit', async () => {
    const { dir, analysis } = trainAndReport(['--preset', 'modular-subtraction', '--p', '23', '--train-fraction', '0.6',
      '--d-mlp', '64', '--epochs', '300', '--eval-every', '25', '--checkpoint-every', '100']);
    expect(analysis.fourier.group).toMatchObject({ operation: 'subtract', p: 23, m: 23 });
    expect(analysis.fourier.keyFrequencies.every((k: number) => k >= 1 && k <= 11)).toBe(true);
    expect(analysis.circuit.points.length).toBeGreaterThanOrEqual(5);
    expect(analysis.series.points.at(-1).loss.test).toBeGreaterThan(0);
    // Excluded and restricted loss in the group, on the group's key frequencies, at every checkpoint.
    expect(analysis.series.keyFrequencies).toEqual(analysis.fourier.keyFrequencies);
    for (const point of analysis.series.points) expect(point.excludedLoss.all).toBeGreaterThan(0);
    await expectFigures(dir, ['embedding-norms', 'logits-2d', 'circuit-embedding', 'circuit-logit-fit', 'excluded-restricted']);
  }, 240_000);
});
