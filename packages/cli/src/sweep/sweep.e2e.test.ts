// `grok sweep` on the local pool, through the built `grok` binary: a small grid with a point grok train refuses and a
// point that diverges (both recorded as failed, the sweep going on), its directory, sweep.json and sweep.html (drawn in
// headless Chromium); the coordinator killed and rerun (finished points kept, the interrupted one resumed, nothing
// run twice); bad specs refused before any work.
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processesWith, runGrok, startGrok, waitFor } from './grok-process.fixture';

const tmp = () => mkdtempSync(join(tmpdir(), 'grok-sweep-'));
const TINY = ['--p', '13', '--train-fraction', '0.5', '--d-model', '16', '--d-mlp', '32', '--eval-every', '10', '--checkpoint-every', '50'];
const rows = (dir: string) => JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')).rows as Record<string, unknown>[];
const metrics = (dir: string) => readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);

describe('a local sweep', () => {
  const dir = tmp();
  let result: { code: number | null; output: string };

  beforeAll(async () => {
    // n-heads 3 does not divide d-model 16 (refused by grok train); lr 1e30 diverges (NaN at epoch 2).
    result = await runGrok(['sweep', ...TINY, '--epochs', '150', '--backend', 'wasm', '--grid', 'n-heads=2,3', '--grid', 'lr=0.01,1e30',
      '--workers', '2', '--out', dir]);
  }, 300_000);

  it('records one row per point: done, refused and diverged, each with what happened', () => {
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/finished: 1 of 4 points done/);
    const byId = Object.fromEntries(rows(dir).map((r) => [r.id, r]));
    expect(Object.keys(byId)).toEqual(['n-heads=2_lr=0.01', 'n-heads=2_lr=1e+30', 'n-heads=3_lr=0.01', 'n-heads=3_lr=1e+30']);
    const done = byId['n-heads=2_lr=0.01']!;
    const last = metrics(join(dir, 'points', 'n-heads=2_lr=0.01')).at(-1)!;
    expect(done).toMatchObject({ status: 'done', settings: { 'n-heads': 2, lr: 0.01 }, dir: 'points/n-heads=2_lr=0.01', finalEpoch: 150,
      trainLoss: last.trainLoss, testLoss: last.testLoss, testAccuracy: last.testAccuracy, error: null, attempts: 1 });
    expect(done.wallSeconds).toBeGreaterThan(0);
    // Analysed by default: the key frequencies of the final checkpoint.
    expect(Array.isArray(done.keyFrequencies)).toBe(true);
    expect(byId['n-heads=2_lr=1e+30']).toMatchObject({ status: 'failed', error: expect.stringMatching(/grok train exited with code 1: training loss became NaN or Inf at epoch \d+/) });
    for (const id of ['n-heads=3_lr=0.01', 'n-heads=3_lr=1e+30']) {
      expect(byId[id]).toMatchObject({ status: 'failed', attempts: 0, error: expect.stringMatching(/grok train refuses it: .*dModel \(16\) must be divisible by nHeads \(3\)/s) });
    }
  });

  it('holds an ordinary run directory per point that ran', () => {
    const point = join(dir, 'points', 'n-heads=2_lr=0.01');
    for (const f of ['config.json', 'metrics.jsonl', 'analysis.json', 'report.html']) expect(existsSync(join(point, f))).toBe(true);
    expect(readdirSync(join(point, 'checkpoints'))).toContain('epoch-0000150.safetensors');
    expect(JSON.parse(readFileSync(join(point, 'config.json'), 'utf8'))).toMatchObject({ task: { p: 13 }, model: { nHeads: 2 }, trainer: { lr: 0.01, epochs: 150 } });
    expect(readdirSync(join(dir, 'points')).sort()).toEqual(['n-heads=2_lr=0.01', 'n-heads=2_lr=1e+30']);
  });

  it('draws sweep.html offline in headless Chromium, its table linking each report', async () => {
    const html = readFileSync(join(dir, 'sweep.html'), 'utf8');
    expect(html).toContain('<a href="points/n-heads=2_lr=0.01/report.html">');
    const { launchBrowser, serveDir } = await import('@grokking/browser-testing');
    const server = await serveDir(dir);
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('pageerror', (e: Error) => errors.push(String(e)));
      page.on('console', (m: { type(): string; text(): string }) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('request', (r: { url(): string }) => requests.push(r.url()));
      await page.goto(`${server.url}/sweep.html`);
      await page.waitForSelector('body[data-rendered="true"]', { timeout: 60_000 });
      const plots = await page.evaluate(() => Array.from(document.querySelectorAll('.plot')).map((el) => ({
        id: el.id, rendered: el.getAttribute('data-rendered'), canvases: el.querySelectorAll('canvas').length })));
      // Figures of n-heads, one pair per lr.
      expect(plots.map((p) => p.id)).toEqual(['fig-grok-0', 'fig-loss-0', 'fig-grok-1', 'fig-loss-1']);
      expect(plots.filter((p) => p.rendered !== 'true' || p.canvases === 0)).toEqual([]);
      expect(await page.evaluate(() => document.querySelectorAll('table.points tbody tr').length)).toBe(4);
      expect(errors).toEqual([]);
      expect(requests).toEqual([`${server.url}/sweep.html`]);
      await page.click('a[href="points/n-heads=2_lr=0.01/report.html"]');
      await page.waitForSelector('body[data-rendered="true"]', { timeout: 60_000 });
      expect(await page.title()).toMatch(/grok report/);
    } finally {
      await browser.close();
      server.close();
    }
  }, 120_000);
});

it('the coordinator killed and rerun: finished points are kept, the interrupted one resumes, none runs twice', async () => {
  const dir = tmp();
  // 1,000 epochs, so that a point is still running well after its epoch-100 checkpoint, however fast the machine.
  const args = ['sweep', ...TINY, '--epochs', '1000', '--backend', 'wasm', '--seeds', '0-2', '--workers', '1', '--no-analyze', '--out', dir];
  const first = startGrok(args);
  await waitFor(() => existsSync(join(dir, 'sweep.lock')), 60_000, 'the sweep to start');
  // A second coordinator on the same directory is refused while the first runs.
  const rival = await runGrok(args);
  expect(rival.code).toBe(1);
  expect(rival.output).toMatch(new RegExp(`another grok sweep \\(pid ${first.child.pid}\\) is running the sweep in`));

  await waitFor(() => existsSync(join(dir, 'points', 'seed=1', 'checkpoints', 'epoch-0000100.safetensors')), 120_000, 'the second point a tenth of the way');
  first.child.kill('SIGKILL');
  await first.exited;
  // Its running point dies with it.
  await waitFor(() => processesWith(join(dir, 'points')).length === 0, 10_000, 'the killed coordinator\'s run to stop');
  expect(rows(dir).find((r) => r.id === 'seed=0')).toMatchObject({ status: 'done', finalEpoch: 1000 });
  const finished = statSync(join(dir, 'points', 'seed=0', 'metrics.jsonl')).mtimeMs;
  const interruptedAt = metrics(join(dir, 'points', 'seed=1')).at(-1)!.epoch;
  expect(interruptedAt).toBeLessThan(1000);

  const status = await runGrok([...args, '--status']);
  expect(status.output).toMatch(/1\/3 finished, 1 running, 1 queued/);

  const second = await runGrok(args);
  expect(second.code).toBe(0);
  expect(second.output).toMatch(/3 points on the local pool of 1 \(1 already finished\)/);
  expect(rows(dir).map((r) => [r.id, r.status, r.finalEpoch])).toEqual([['seed=0', 'done', 1000], ['seed=1', 'done', 1000], ['seed=2', 'done', 1000]]);
  // The finished point was not touched; the interrupted one has each evaluation once, through to the end.
  expect(statSync(join(dir, 'points', 'seed=0', 'metrics.jsonl')).mtimeMs).toBe(finished);
  expect(metrics(join(dir, 'points', 'seed=1')).map((r) => r.epoch)).toEqual(Array.from({ length: 101 }, (_, i) => 10 * i));
}, 300_000);

it('Ctrl-C stops the running points at a checkpoint; the same command carries on from there', async () => {
  const dir = tmp();
  const args = ['sweep', ...TINY, '--epochs', '400', '--backend', 'wasm', '--grid', 'lr=0.003', '--no-analyze', '--out', dir];
  const first = startGrok(args);
  await waitFor(() => existsSync(join(dir, 'points', 'lr=0.003', 'checkpoints', 'epoch-0000100.safetensors')), 120_000, 'a checkpoint at epoch 100');
  first.child.kill('SIGINT');
  expect(await first.exited).toBe(130);
  expect(first.output()).toMatch(/grok sweep: stopping; run the same command again to carry on/);
  expect(first.output()).toMatch(/interrupted: 0 of 1 points done/);
  expect(rows(dir)).toEqual([expect.objectContaining({ id: 'lr=0.003', status: 'queued', attempts: 1 })]);
  const stoppedAt = metrics(join(dir, 'points', 'lr=0.003')).at(-1)!.epoch;
  expect(stoppedAt).toBeLessThan(400);
  // The run stopped with a checkpoint where it stopped (past its last evaluation), and resumes from it.
  const saved = readdirSync(join(dir, 'points', 'lr=0.003', 'checkpoints')).map((f) => Number(/epoch-(\d+)/.exec(f)?.[1] ?? -1));
  expect(Math.max(...saved)).toBeGreaterThanOrEqual(stoppedAt!);

  const second = await runGrok(args);
  expect(second.code).toBe(0);
  expect(rows(dir)).toEqual([expect.objectContaining({ id: 'lr=0.003', status: 'done', finalEpoch: 400, attempts: 2 })]);
  // Each evaluation once, in order: every tenth epoch, and the one grok train makes where Ctrl-C stopped it.
  const epochs = metrics(join(dir, 'points', 'lr=0.003')).map((r) => r.epoch);
  expect(epochs).toEqual([...new Set([...Array.from({ length: 41 }, (_, i) => 10 * i), ...epochs])].sort((a, b) => a! - b!));
  expect(epochs.filter((e) => e! % 10 !== 0).length).toBeLessThanOrEqual(1);
}, 120_000);

describe('bad sweep specs fail before any work, saying what is wrong', () => {
  it.each([
    [['--grid', 'wieght-decay=0.1,1'], /grok: unknown flag --wieght-decay in --grid; expected one of grok train's flags/],
    [['--grid', 'weight-decay='], /grok: weight-decay: the grid is empty/],
    [[], /grok: the grid is empty: nothing to sweep/],
    [['--grid', 'train-fraction=0.9:0.1:0.1'], /grok: train-fraction: the range 0.9:0.1:0.1 needs step > 0 and start <= stop/],
    [['--grid', 'lr=0,-1'], /grok: grok train refuses every point of this sweep; the first: invalid run configuration:\n\s+trainer.lr/],
    [['--preset', 'nope', '--seeds', '0-1'], /grok: grok train refuses every point .* preset must be one of/],
    [['--seeds', '0-1', '--workers', '0'], /--workers must be a positive integer, got "0"/],
  ])('%j', async (extra, message) => {
    const dir = join(tmp(), 'sweep');
    const r = await runGrok(['sweep', ...TINY, ...extra, '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(message);
    expect(existsSync(dir)).toBe(false);
  }, 30_000);

  it('a bad spec file', async () => {
    const root = tmp();
    writeFileSync(join(root, 'spec.json'), JSON.stringify({ preset: 'modular-addition', grid: { 'weight-decay': [] } }));
    const r = await runGrok(['sweep', '--spec', join(root, 'spec.json'), '--out', join(root, 'sweep')]);
    expect(r.output).toMatch(/grok: weight-decay: the grid is empty; give at least one value/);
    expect(existsSync(join(root, 'sweep'))).toBe(false);
  }, 30_000);
});
