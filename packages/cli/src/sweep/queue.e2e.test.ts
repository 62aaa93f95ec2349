// Sweeps through BullMQ on a real redis-server of the test's own (127.0.0.1, a free port), through the built `grok`
// binary: a worker SIGKILLed mid-run (its points are taken again and resumed, ending with the same weights and metrics
// as an uninterrupted run), a coordinator killed and rerun (it re-attaches; nothing runs twice), a failing point
// (recorded with its message; the sweep goes on), and `--status`.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeCheckpoint } from '@grokking/trainer';
import { createFileStore } from '@grokking/trainer/node';
import { Queue } from 'bullmq';
import { alive, runGrok, startGrok, waitFor } from './grok-process.fixture';
import { QUEUE_NAME, redisOptions } from './queue';
import { startRedis, type TestRedis } from './redis-server.fixture';

const tmp = () => mkdtempSync(join(tmpdir(), 'grok-queue-'));
// A few seconds per run. The cpu backend is deterministic, so a resumed run can be compared bit for bit.
const TINY = ['--p', '13', '--train-fraction', '0.5', '--d-model', '16', '--d-mlp', '32', '--eval-every', '10', '--checkpoint-every', '50'];
const CPU = [...TINY, '--epochs', '200', '--backend', 'cpu'];
const WASM = [...TINY, '--epochs', '150', '--backend', 'wasm'];
// A dead worker's jobs are taken again within ~3 s instead of BullMQ's default 30 s.
const FAST_STALL = ['--lock-duration', '2000', '--stalled-interval', '1000'];

const rows = (dir: string) => JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')).rows as Record<string, unknown>[];

async function finalParams(dir: string): Promise<Record<string, number[]>> {
  const store = createFileStore(join(dir, 'checkpoints'));
  const epochs = await store.list();
  const checkpoint = decodeCheckpoint(await store.read(epochs[epochs.length - 1]!));
  return Object.fromEntries(Object.entries(checkpoint.params).map(([k, v]) => [k, Array.from(v.data)]));
}

let redis: TestRedis;
beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => { await redis?.stop(); });

it('a worker killed with SIGKILL mid-run: its points are taken again, resumed from their checkpoints, and end as an uninterrupted run', async () => {
  const dir = tmp();
  const sweep = startGrok(['sweep', ...CPU, '--seeds', '0-1', '--no-analyze', '--queue', redis.url, '--out', dir, '--poll', '200']);
  const first = startGrok(['worker', '--queue', redis.url, '--concurrency', '2', ...FAST_STALL]);
  const at50 = (seed: number) => existsSync(join(dir, 'points', `seed=${seed}`, 'checkpoints', 'epoch-0000050.safetensors'));
  await waitFor(() => at50(0) || at50(1), 120_000, 'a checkpoint at epoch 50');
  const children = [...first.output().matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
  expect(children.length).toBe(2);
  first.child.kill('SIGKILL');
  await first.exited;
  // Its runs die with it: no orphan keeps writing the run directories the next worker resumes.
  await waitFor(() => children.every((pid) => !alive(pid)), 10_000, "the killed worker's runs to stop");

  const second = startGrok(['worker', '--queue', redis.url, '--concurrency', '2', ...FAST_STALL]);
  const code = await sweep.exited;
  second.child.kill('SIGINT');
  await second.exited;
  expect(code).toBe(0);

  const found = rows(dir);
  expect(found.map((r) => r.id).sort()).toEqual(['seed=0', 'seed=1']);
  for (const r of found) expect(r).toMatchObject({ status: 'done', finalEpoch: 200, error: null, attempts: 2 });
  const resumed = [...second.output().matchAll(/start (seed=\d) \(pid \d+, attempt 2, resuming from epoch \d+\)/g)];
  expect(resumed.map((m) => m[1]).sort()).toEqual(['seed=0', 'seed=1']);
  // Taken again by BullMQ's stalled-job check: the dead worker could not put them back.
  const queue = new Queue(QUEUE_NAME, { connection: redisOptions(redis.url) });
  try {
    const jobs = (await queue.getJobs(['completed'])).filter((j) => String(j.data.dir).startsWith(dir));
    expect(jobs.map((j) => [j.data.id, j.stalledCounter]).sort()).toEqual([['seed=0', 1], ['seed=1', 1]]);
  } finally {
    await queue.close();
  }

  // Each resumed point equals an uninterrupted run of the same arguments: the same weights and the same metrics.
  await Promise.all([0, 1].map(async (seed) => {
    const straight = tmp();
    const run = await runGrok(['train', ...CPU, '--seed', String(seed), '--no-analyze', '--quiet', '--out', straight]);
    expect(run.code).toBe(0);
    const point = join(dir, 'points', `seed=${seed}`);
    expect(readFileSync(join(point, 'metrics.jsonl'), 'utf8')).toBe(readFileSync(join(straight, 'metrics.jsonl'), 'utf8'));
    expect(await finalParams(point)).toEqual(await finalParams(straight));
  }));
}, 300_000);

it('the coordinator killed and rerun re-attaches: finished points are not run again, none twice; a failing point is recorded and the sweep goes on', async () => {
  const dir = tmp();
  const args = ['sweep', ...WASM, '--grid', 'lr=0.01,1e30', '--seeds', '0-1', '--no-analyze', '--queue', redis.url, '--out', dir, '--poll', '200'];
  const worker = startGrok(['worker', '--queue', redis.url, '--concurrency', '1']);
  const first = startGrok(args);
  await waitFor(() => existsSync(join(dir, 'sweep.json')) && rows(dir).some((r) => r.status === 'done'), 120_000, 'a finished point');
  first.child.kill('SIGKILL');
  await first.exited;

  // While no coordinator runs, --status reads the queue.
  const status = await runGrok([...args, '--status']);
  expect(status.code).toBe(0);
  expect(status.output).toMatch(/\d\/4 finished/);

  const second = await runGrok(args);
  worker.child.kill('SIGINT');
  await worker.exited;
  expect(second.code).toBe(0);

  const found = rows(dir);
  expect(found.map((r) => r.id).sort()).toEqual(['lr=0.01_seed=0', 'lr=0.01_seed=1', 'lr=1e+30_seed=0', 'lr=1e+30_seed=1']);
  // Every point was started exactly once, by the one worker, across both coordinators.
  for (const r of found) expect([...worker.output().matchAll(new RegExp(`start ${String(r.id).replace(/[.+]/g, '\\$&')} `, 'g'))].length).toBe(1);
  for (const r of found.filter((r) => String(r.id).startsWith('lr=0.01'))) expect(r).toMatchObject({ status: 'done', finalEpoch: 150 });
  for (const r of found.filter((r) => String(r.id).startsWith('lr=1e+30'))) {
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/training loss became NaN or Inf at epoch \d+/);
  }
  expect(existsSync(join(dir, 'sweep.html'))).toBe(true);
}, 300_000);

it('Ctrl-C on a worker puts its running point back in the queue at once, and the next worker resumes it', async () => {
  const dir = tmp();
  const sweep = startGrok(['sweep', ...WASM, '--epochs', '400', '--seed', '3', '--grid', 'weight-decay=1', '--no-analyze', '--queue', redis.url,
    '--out', dir, '--poll', '200']);
  const first = startGrok(['worker', '--queue', redis.url, '--concurrency', '1']);
  await waitFor(() => existsSync(join(dir, 'points', 'weight-decay=1', 'checkpoints', 'epoch-0000100.safetensors')), 120_000, 'a checkpoint at epoch 100');
  first.child.kill('SIGINT');
  expect(await first.exited).toBe(0);
  expect(first.output()).toMatch(/weight-decay=1 interrupted at a checkpoint, back in the queue/);
  const second = startGrok(['worker', '--queue', redis.url, '--concurrency', '1']);
  expect(await sweep.exited).toBe(0);
  second.child.kill('SIGINT');
  await second.exited;
  expect(second.output()).toMatch(/start weight-decay=1 \(pid \d+, attempt 2, resuming from epoch \d+\)/);
  expect(rows(dir)).toEqual([expect.objectContaining({ id: 'weight-decay=1', status: 'done', finalEpoch: 400, attempts: 2 })]);
  // Put back by the worker, not found stalled after its lock expired.
  const queue = new Queue(QUEUE_NAME, { connection: redisOptions(redis.url) });
  try {
    const job = (await queue.getJobs(['completed'])).find((j) => j.data.dir === join(dir, 'points', 'weight-decay=1'))!;
    expect(job).toMatchObject({ attemptsStarted: 2, stalledCounter: 0 });
  } finally {
    await queue.close();
  }
}, 120_000);

it('refuses an unreachable Redis before any work', async () => {
  const dir = tmp();
  // Port 1 on loopback: nothing listens there.
  const r = await runGrok(['sweep', ...WASM, '--seeds', '0-1', '--queue', 'redis://127.0.0.1:1', '--out', join(dir, 's')]);
  expect(r.code).toBe(1);
  expect(r.output).toMatch(/grok: cannot reach Redis at redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
  expect(existsSync(join(dir, 's'))).toBe(false);
  const w = await runGrok(['worker', '--queue', 'http://127.0.0.1:6379']);
  expect(w.output).toMatch(/--queue must be a redis:\/\/ or rediss:\/\/ URL, got "http:\/\/127.0.0.1:6379"/);
}, 60_000);
