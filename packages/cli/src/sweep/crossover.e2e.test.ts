// `grok crossover` through the built `grok` binary on a small modular task: every probe recorded with its seeds, a
// bracket consistent with the probes, the probes' runs kept as sweep points; rerun, it replays what is finished
// without training again. (The bisection itself is checked against known thresholds in bisect.test.ts.)
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGrok } from './grok-process.fixture';

// p = 23, a small 1-layer transformer at lr 1e-2: groks within a few hundred epochs with enough data.
const SMALL = ['--p', '23', '--d-model', '32', '--n-heads', '4', '--d-head', '8', '--d-mlp', '64', '--lr', '0.01', '--eval-every', '25',
  '--checkpoint-every', '250', '--backend', 'wasm'];

it('bisects the train fraction, records every probe, and replays finished probes on a rerun', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'grok-crossover-')), 'x');
  const args = ['crossover', ...SMALL, '--budget', '500', '--seeds', '0-1', '--low', '0.3', '--high', '0.9', '--tolerance', '0.3',
    '--workers', '2', '--out', dir];
  const first = await runGrok(args);
  expect(first.code).toBe(0);
  const record = JSON.parse(readFileSync(join(dir, 'crossover.json'), 'utf8'));
  expect(record).toMatchObject({ variable: 'train-fraction', budget: 500, need: 2, seeds: [0, 1], low: 0.3, high: 0.9, tolerance: 0.3, interrupted: false });
  const probes = record.probes as { value: number; grokked: boolean; points: { id: string; grokkedEpoch: number | null }[] }[];
  expect(probes[0]!.value).toBe(0.9);
  // A probe grokked exactly when both seeds did, within the budget.
  for (const p of probes) {
    expect(p.points.map((q) => q.id)).toEqual([`train-fraction=${p.value}_seed=0`, `train-fraction=${p.value}_seed=1`]);
    expect(p.grokked).toBe(p.points.every((q) => q.grokkedEpoch !== null && q.grokkedEpoch <= 500));
  }
  // The bracket agrees with the probes: nothing below it grokked, nothing above it failed to.
  const grokked = probes.filter((p) => p.grokked).map((p) => p.value);
  const not = probes.filter((p) => !p.grokked).map((p) => p.value);
  expect(record.above).toBe(grokked.length ? Math.min(...grokked) : null);
  expect(record.below).toBe(not.length ? Math.max(...not) : null);
  if (record.above !== null && record.below !== null) expect(record.above - record.below).toBeLessThanOrEqual(0.3 + 1e-9);
  expect(first.output).toMatch(/^crossover: /m);
  for (const p of probes) expect(first.output).toContain(`train-fraction ${p.value}: ${p.grokked ? 'grokked' : 'did not grok'}`);

  // Every probe's runs are sweep points; a rerun finds them finished and trains nothing.
  const rows = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')).rows as { id: string; status: string; attempts: number }[];
  expect(rows.length).toBe(2 * probes.length);
  for (const r of rows) expect(r).toMatchObject({ status: 'done', attempts: 1 });
  const again = await runGrok(args);
  expect(again.code).toBe(0);
  expect(JSON.parse(readFileSync(join(dir, 'crossover.json'), 'utf8')).probes).toEqual(record.probes);
  const after = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')).rows as { attempts: number }[];
  expect(after.map((r) => r.attempts)).toEqual(rows.map((r) => r.attempts));
}, 300_000);
