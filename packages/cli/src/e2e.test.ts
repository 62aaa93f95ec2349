// End to end through the built `grok` binary: a small run to grokking, its run directory and report, and an
// interrupted run resumed to the same final weights as an uninterrupted one.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeCheckpoint } from '@grokking/trainer';
import { createFileStore } from '@grokking/trainer/node';
import { reportInBrowser } from './testing/report-in-browser';

const BIN = join(__dirname, '..', 'dist', 'bin.js');
const tmp = () => mkdtempSync(join(tmpdir(), 'grok-e2e-'));

function grok(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, GROKKING_WASM_THREADS: '1' } });
  if (r.status !== 0) throw new Error(`grok ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r;
}

async function finalParams(dir: string): Promise<Record<string, number[]>> {
  const store = createFileStore(join(dir, 'checkpoints'));
  const epochs = await store.list();
  const checkpoint = decodeCheckpoint(await store.read(epochs[epochs.length - 1]!));
  return Object.fromEntries(Object.entries(checkpoint.params).map(([k, v]) => [k, Array.from(v.data)]));
}

// p = 23 with 60% of pairs, a small 1-layer transformer, lr 1e-2: memorises in ~100 epochs, groks in under 1,000.
// Adam's eps at 1e-6 stops it rescaling the vanishing gradients of a memorised train set, so train loss levels out
// instead of slingshotting (at 1e-8 most seeds never grok within 3,000 epochs). Evaluations every 10 epochs resolve
// the brief rebound of train loss that ends memorisation: every 25 merge it into the fall and no phases are found.
const SMALL = ['--p', '23', '--train-fraction', '0.6', '--d-model', '32', '--n-heads', '4', '--d-head', '8', '--d-mlp', '64',
  '--lr', '0.01', '--eps', '1e-6', '--eval-every', '10', '--checkpoint-every', '250'];

describe('grok train, analyze and report', () => {
  const dir = tmp();
  let stderr = '';

  beforeAll(() => {
    // 200 epochs past grokking, for test loss to level out and cleanup to end inside the run.
    stderr = grok(['train', ...SMALL, '--epochs', '3000', '--stop-when-grokked', '20', '--seed', '0', '--out', dir]).stderr;
  }, 600_000);

  it('trains to grokking and stops there', () => {
    expect(stderr).toMatch(/grokked at epoch \d+/);
    for (const f of ['config.json', 'metrics.jsonl', 'analysis.json', 'report.html']) expect(existsSync(join(dir, f))).toBe(true);
  });

  it('finds memorisation, circuit formation and cleanup in order inside the run, and prints and reports them', () => {
    const { phases, grokkedAt } = JSON.parse(readFileSync(join(dir, 'analysis.json'), 'utf8'));
    expect(phases).toMatchObject({ detected: true, reason: null });
    const { memorisation: m, circuitFormation: c, cleanup: k } = phases;
    const last = JSON.parse(readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').at(-1)!).epoch;
    // Each phase starts where the one before ends (findPhases' boundaries) and lasts a while.
    expect(m.start).toBe(0);
    expect(m.end).toBeGreaterThan(m.start);
    expect(c.start).toBe(m.end);
    expect(c.end).toBeGreaterThan(c.start);
    expect(k.start).toBe(c.end);
    expect(k.end).toBeGreaterThan(k.start);
    expect(k.end).toBeLessThanOrEqual(last);
    // Test accuracy reaches 99.9% during cleanup, the steep fall of test loss.
    expect(grokkedAt).toBeGreaterThan(k.start);
    expect(grokkedAt).toBeLessThanOrEqual(k.end);
    const line = `phases: memorisation ${m.start}-${m.end}, circuit formation ${c.start}-${c.end}, cleanup ${k.start}-${k.end}`;
    expect(stderr).toContain(`${line}\n`);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain(line);
  });

  it('writes sane metrics: memorisation first, then generalisation', () => {
    const records = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const epochs = records.map((r) => r.epoch);
    expect(epochs).toEqual([...epochs].sort((a, b) => a - b));
    for (const r of records) {
      expect(Number.isFinite(r.trainLoss) && Number.isFinite(r.testLoss)).toBe(true);
      expect(r.trainAccuracy).toBeGreaterThanOrEqual(0);
      expect(r.testAccuracy).toBeLessThanOrEqual(1);
    }
    const memorised = records.find((r) => r.trainAccuracy === 1)!.epoch;
    const generalised = records.find((r) => r.testAccuracy === 1)!.epoch;
    expect(memorised).toBeLessThan(generalised);
    const atMemorisation = records.find((r) => r.epoch === memorised)!;
    expect(atMemorisation.testAccuracy).toBeLessThan(0.9);
  });

  it('analyses the run: key frequencies found, excluded loss above train loss at the end', () => {
    const analysis = JSON.parse(readFileSync(join(dir, 'analysis.json'), 'utf8'));
    expect(analysis.grokkedAt).toBeGreaterThan(0);
    expect(analysis.keyFrequencies.length).toBeGreaterThan(0);
    for (const k of analysis.keyFrequencies) expect(k >= 1 && k <= 11).toBe(true);
    expect(analysis.fourier.logits.fit.fractionOfVarianceExplained).toBeGreaterThan(0.5);
    const last = analysis.series.points[analysis.series.points.length - 1];
    expect(last.excludedLoss.all).toBeGreaterThan(10 * last.loss.train);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(config.task).toMatchObject({ name: 'modular-addition', p: 23, trainFraction: 0.6 });
    expect(config.versions['@grokking/cli']).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('renders every plot of the report in headless Chromium, offline, with no console error', async () => {
    const { figures, errors, requests, url } = await reportInBrowser(dir);
    expect(figures.length).toBeGreaterThanOrEqual(12);
    expect(figures.filter((p) => p.rendered !== 'true' || p.drawn === 0)).toEqual([]);
    expect(figures.map((p) => p.id)).toEqual(expect.arrayContaining(['fig-loss', 'fig-accuracy', 'fig-excluded-restricted', 'fig-weights',
      'fig-gini', 'fig-embedding-norms', 'fig-clusters', 'fig-logits-2d', 'fig-embedding-pca', 'fig-attention-0',
      'fig-excluded-by-frequency', 'fig-weights-by-param', 'fig-circuit-embedding', 'fig-circuit-clusters', 'fig-circuit-logit-fit']));
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
  }, 120_000);
});

describe('grok train interrupted and resumed', () => {
  // The cpu backend is bit-for-bit deterministic, so the two runs' final weights can be compared exactly.
  const TINY = ['--p', '13', '--train-fraction', '0.5', '--d-model', '16', '--n-heads', '2', '--d-head', '8', '--d-mlp', '32',
    '--epochs', '300', '--eval-every', '10', '--checkpoint-every', '50', '--backend', 'cpu', '--no-analyze', '--seed', '2'];

  it('ends with the same weights as an uninterrupted run', async () => {
    const straight = tmp();
    grok(['train', ...TINY, '--out', straight]);

    const interrupted = tmp();
    const child = spawn(process.execPath, [BIN, 'train', ...TINY, '--out', interrupted], { env: { ...process.env } });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    // Interrupt once a few evaluations are in.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        const path = join(interrupted, 'metrics.jsonl');
        if (existsSync(path) && readFileSync(path, 'utf8').split('\n').length > 8) {
          clearInterval(timer);
          child.kill('SIGINT');
          resolve();
        }
      }, 50);
      child.on('exit', () => { clearInterval(timer); reject(new Error(`finished before the interrupt:\n${err}`)); });
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    expect(err).toMatch(/interrupted at epoch (\d+)/);
    const stoppedAt = Number(/interrupted at epoch (\d+)/.exec(err)![1]);
    expect(stoppedAt).toBeLessThan(300);
    expect(err).toContain(`grok train --resume ${interrupted}`);

    const resumed = grok(['train', '--resume', interrupted]);
    expect(resumed.stderr).toMatch(/completed at epoch 300/);
    expect(await finalParams(interrupted)).toEqual(await finalParams(straight));

    const metrics = readFileSync(join(interrupted, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const epochs = metrics.map((r) => r.epoch);
    expect(new Set(epochs).size).toBe(epochs.length); // each evaluation once, across the interruption
    const straightMetrics = readFileSync(join(straight, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(metrics.at(-1)).toEqual(straightMetrics.at(-1));
  }, 300_000);

  it('after a hard kill, resumes from the last checkpoint with each evaluation once and counts only its own epochs', async () => {
    const straight = tmp();
    grok(['train', ...TINY, '--out', straight]);
    const killed = tmp();
    const child = spawn(process.execPath, [BIN, 'train', ...TINY, '--out', killed], { env: { ...process.env } });
    // SIGKILL once an evaluation past the epoch-50 checkpoint is written: those records are redone after the resume.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        const path = join(killed, 'metrics.jsonl');
        if (existsSync(path) && readFileSync(path, 'utf8').split('\n').some((l) => l && JSON.parse(l).epoch >= 60)) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 20);
      child.on('exit', () => { clearInterval(timer); reject(new Error('finished before the kill')); });
    });
    await new Promise((resolve) => child.on('exit', resolve));
    const store = createFileStore(join(killed, 'checkpoints'));
    const from = (await store.list()).at(-1)!;
    expect(from).toBeGreaterThanOrEqual(50);
    expect(from).toBeLessThan(300);

    const resumed = grok(['train', '--resume', killed]);
    expect(resumed.stderr).toContain(`training epochs ${from}..300`);
    const epochs = readFileSync(join(killed, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).epoch);
    expect(epochs).toEqual(Array.from({ length: 31 }, (_, i) => 10 * i)); // every evaluation, once, in order
    expect(await finalParams(killed)).toEqual(await finalParams(straight));
  }, 300_000);
});

describe('grok analyze on infinite data', () => {
  it('measures the test set the run was evaluated on, and no train set', () => {
    const dir = tmp();
    const run = grok(['train', '--preset', 'max-element', '--d-model', '16', '--n-heads', '2', '--epochs', '40', '--eval-every', '20',
      '--checkpoint-every', '20', '--test-size', '64', '--batch-size', '16', '--backend', 'cpu', '--seed', '3', '--out', dir]);
    const metrics = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const analysis = JSON.parse(readFileSync(join(dir, 'analysis.json'), 'utf8'));
    const last = analysis.series.points.at(-1);
    expect(last.epoch).toBe(40);
    // Before, the analysis split with the run's seed, not the test set's, and measured another test set.
    expect(last.loss.test).toBeCloseTo(metrics.at(-1).testLoss, 5);
    expect(last.loss.testAccuracy).toBeCloseTo(metrics.at(-1).testAccuracy, 9);
    expect(last.loss.train).toBeNull();
    expect(analysis.phases.detected).toBe(false);
    expect(analysis.phases.reason).toMatch(/infinite data/);
    expect(run.stderr).toContain('phases: not detected (no train set (infinite data)');
  }, 120_000);
});
