import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fakeSweep } from './fake-sweep.fixture';
import { pageBlocks } from './page';

// `pnpm reproduce` end to end on hand-made runs (the runs themselves are grok sweep's, tested in @grokking/cli):
// collect, results.json, figures and the page's block, then a redraw from the committed results alone.
const ROOT = resolve(__dirname, '..', '..');
const BIN = join(ROOT, 'reproduction', 'dist', 'bin.js');

describe('pnpm reproduce', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'reproduce-bin-'));
  const runs = join(tmp, 'runs');
  const results = join(tmp, 'results');
  const page = join(tmp, 'reproduction.md');
  copyFileSync(join(ROOT, 'docs', 'reproduction.md'), page);
  const metrics = (spike: boolean) => Array.from({ length: 30 }, (_, i) => ({
    epoch: i * 10, trainLoss: spike && i === 20 ? 1e-2 : i < 3 ? 4 / (i + 1) : 1e-6, testLoss: i < 10 ? 5 : 1e-4, testAccuracy: i < 10 ? 0.1 : 1,
  }));
  fakeSweep([
    { id: 'loss=naive_seed=0', settings: { loss: 'naive', seed: 0 }, metrics: metrics(true) },
    { id: 'loss=precise_seed=0', settings: { loss: 'precise', seed: 0 }, metrics: metrics(false) },
  ], join(runs, 'slingshot', 'losses'));
  const args = ['--only', 'slingshot', '--runs', runs, '--results', results, '--page', page];

  it('collects the runs into results.json, draws the figures and writes the page block', () => {
    execFileSync(process.execPath, [BIN, ...args, '--no-train'], { stdio: 'pipe' });
    const written = JSON.parse(readFileSync(join(results, 'slingshot', 'results.json'), 'utf8'));
    expect(written.points.map((p: { id: string; spikes: { count: number } }) => [p.id, p.spikes.count])).toEqual([['loss=naive_seed=0', 1], ['loss=precise_seed=0', 0]]);
    expect(existsSync(join(results, 'slingshot', 'loss.svg'))).toBe(true);
    const block = pageBlocks(readFileSync(page, 'utf8')).slingshot!;
    expect(block).toContain('| naive | 0 | 1 | 200 |');
    expect(block).toContain('| precise | 0 | 0 | — |');
    expect(block).toContain('grok sweep --preset modular-addition');
    // Experiments not asked for keep their blocks as they were.
    expect(pageBlocks(readFileSync(page, 'utf8'))['seed-run']).toBe(pageBlocks(readFileSync(join(ROOT, 'docs', 'reproduction.md'), 'utf8'))['seed-run']);
  });

  it('redraws the same page from the results alone', () => {
    const before = readFileSync(page, 'utf8');
    const svg = readFileSync(join(results, 'slingshot', 'loss.svg'), 'utf8');
    execFileSync(process.execPath, [BIN, ...args, '--no-collect', '--runs', join(tmp, 'no-runs-here')], { stdio: 'pipe' });
    expect(readFileSync(page, 'utf8')).toBe(before);
    expect(readFileSync(join(results, 'slingshot', 'loss.svg'), 'utf8')).toBe(svg);
  });

  it('refuses an unknown experiment, naming it and the known ones', () => {
    const r = spawnSync(process.execPath, [BIN, '--only', 'slingshots', '--list'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/unknown experiment "slingshots"; expected one of seed-run, train-fraction/);
  });
});
