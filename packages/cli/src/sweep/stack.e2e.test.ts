// `grok sweep --stack` through the built `grok` binary: four points that differ in weight decay and seed train as one
// stack (`grok train-stack`). The members that grok stop where a run of them alone stops, and the others go on to the
// end. Each keeps an ordinary run directory with its own weight decay and seed, and follows `grok train` alone.
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeCheckpoint } from '@grokking/trainer';
import { createFileStore } from '@grokking/trainer/node';
import { processesWith, runGrok, startGrok, waitFor } from './grok-process.fixture';

const tmp = () => mkdtempSync(join(tmpdir(), 'grok-stack-'));
// The small model of the cli's e2e test (groks in under 1,000 epochs at weight decay 1), with few checkpoints.
const MODEL = ['--p', '23', '--train-fraction', '0.6', '--d-model', '32', '--n-heads', '4', '--d-head', '8', '--d-mlp', '64',
  '--lr', '0.01', '--eps', '1e-6', '--eval-every', '10', '--backend', 'wasm'];
const SMALL = [...MODEL, '--checkpoint-every', '500'];
const EPOCHS = 1200;
const rows = (dir: string) => JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')).rows as Record<string, unknown>[];
type Line = { epoch: number; trainLoss: number; testAccuracy: number };
const metrics = (dir: string) => readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);

async function lastCheckpoint(dir: string) {
  const store = createFileStore(join(dir, 'checkpoints'));
  const epochs = await store.list();
  return decodeCheckpoint(await store.read(epochs[epochs.length - 1]!));
}

describe('grok sweep --stack', () => {
  const dir = tmp();
  const alone = tmp();
  const aloneSeed1 = tmp();
  let sweep: { code: number | null; output: string };
  let solo: { code: number | null; output: string };
  const ids = ['weight-decay=1_seed=0', 'weight-decay=1_seed=1', 'weight-decay=0_seed=0', 'weight-decay=0_seed=1'];
  const point = (wd: number, seed = 0) => join(dir, 'points', `weight-decay=${wd}_seed=${seed}`);

  beforeAll(async () => {
    sweep = await runGrok(['sweep', ...SMALL, '--epochs', String(EPOCHS), '--stop-when-grokked', '3', '--grid', 'weight-decay=1,0',
      '--seeds', '0-1', '--stack', '--no-analyze', '--out', dir]);
    solo = await runGrok(['train', ...SMALL, '--epochs', String(EPOCHS), '--stop-when-grokked', '3', '--weight-decay', '1', '--seed', '0',
      '--no-analyze', '--quiet', '--out', alone]);
    await runGrok(['train', ...SMALL, '--epochs', '100', '--weight-decay', '0', '--seed', '1', '--no-analyze', '--quiet', '--out', aloneSeed1]);
  }, 500_000);

  it('trains the four points in one stack and records each in its own row', () => {
    expect(sweep.code).toBe(0);
    expect(solo.code).toBe(0);
    expect(sweep.output).toMatch(/finished: 4 of 4 points done/);
    expect(rows(dir).map((r) => [r.id, r.status, r.stack])).toEqual(ids.map((id) => [id, 'done', ids.join('+')]));
  });

  it('stops the member that groks where it stops alone, and takes the other to the end', () => {
    const soloEnd = Number(/grokked at epoch (\d+)/.exec(solo.output)![1]);
    const decayed = metrics(point(1));
    const undecayed = metrics(point(0));
    // A stack runs the general path and a run alone the fused one: float32 rounding apart, so grokking may come a few
    // evaluations earlier or later.
    expect(Math.abs(decayed.at(-1)!.epoch - soloEnd)).toBeLessThanOrEqual(100);
    expect(decayed.slice(-3).every((r) => r.testAccuracy >= 0.999)).toBe(true);
    expect(undecayed.at(-1)!.epoch).toBe(EPOCHS);
    // Every evaluation once, across the stack's restarts without the stopped members, and one more where the stack
    // stopped for one (as at an interruption).
    const stops = [decayed.at(-1)!.epoch, metrics(point(1, 1)).at(-1)!.epoch].filter((e) => e < EPOCHS);
    const scheduled = Array.from({ length: EPOCHS / 10 + 1 }, (_, i) => i * 10);
    expect(undecayed.map((r) => r.epoch)).toEqual([...new Set([...scheduled, ...stops])].sort((x, y) => x - y));
    // Until grokking the decayed member's curve is the one it has alone.
    const soloMetrics = metrics(alone);
    for (const at of [0, 100, 300]) {
      const a = decayed.find((r) => r.epoch === at)!;
      const b = soloMetrics.find((r) => r.epoch === at)!;
      expect(Math.abs(a.trainLoss - b.trainLoss)).toBeLessThan(1e-3 * (1 + b.trainLoss));
    }
  });

  it('trains a member of another seed from its own initial weights on its own train set', () => {
    const stacked = metrics(point(0, 1));
    const own = metrics(aloneSeed1);
    expect(stacked[0]!.trainLoss).not.toBe(metrics(point(0))[0]!.trainLoss);
    for (const at of [0, 50, 100]) {
      const a = stacked.find((r) => r.epoch === at)!;
      const b = own.find((r) => r.epoch === at)!;
      expect(Math.abs(a.trainLoss - b.trainLoss)).toBeLessThan(1e-3 * (1 + b.trainLoss));
    }
  });

  it('leaves an ordinary run directory per member, with its own weight decay and seed', async () => {
    for (const [wd, seed] of [[1, 0], [1, 1], [0, 0], [0, 1]] as const) {
      const config = JSON.parse(readFileSync(join(point(wd, seed), 'config.json'), 'utf8'));
      expect(config).toMatchObject({ seed, trainer: { weightDecay: wd, epochs: EPOCHS, stopWhenGrokked: 3 } });
      const last = await lastCheckpoint(point(wd, seed));
      expect(last.optimizer.weightDecay).toBe(wd);
      expect(last.trainer).toMatchObject({ seed, optimizer: { weightDecay: wd } });
      expect(readdirSync(point(wd, seed))).toEqual(expect.arrayContaining(['config.json', 'metrics.jsonl', 'checkpoints', 'report.html']));
    }
  });
});

it('a stack killed outright resumes from its members\' common checkpoint and ends bit for bit as without the kill', async () => {
  const args = (out: string) => ['sweep', ...MODEL, '--epochs', '400', '--checkpoint-every', '100', '--grid', 'weight-decay=0.3,1',
    '--stack', '--no-analyze', '--workers', '1', '--out', out];
  const straight = tmp();
  expect((await runGrok(args(straight))).code).toBe(0);

  const dir = tmp();
  const members = ['weight-decay=0.3', 'weight-decay=1'].map((id) => join(dir, 'points', id));
  const first = startGrok(args(dir));
  await waitFor(() => members.every((m) => existsSync(join(m, 'checkpoints', 'epoch-0000200.safetensors'))), 120_000, 'both members at epoch 200');
  first.child.kill('SIGKILL');
  await first.exited;
  // The stack's process dies with its coordinator.
  await waitFor(() => processesWith(join(dir, 'points')).length === 0, 10_000, 'the killed coordinator\'s stack to stop');
  expect(metrics(members[0]!).at(-1)!.epoch).toBeLessThan(400);

  const second = await runGrok(args(dir));
  expect(second.code).toBe(0);
  for (const [k, member] of members.entries()) {
    const ours = await lastCheckpoint(member);
    const theirs = await lastCheckpoint(join(straight, 'points', ['weight-decay=0.3', 'weight-decay=1'][k]!));
    expect(ours.epoch).toBe(400);
    for (const [name, t] of Object.entries(theirs.params)) {
      expect(Buffer.from(ours.params[name]!.data.buffer).equals(Buffer.from(t.data.buffer))).toBe(true);
    }
    // Each evaluation once, through the kill.
    expect(metrics(member).map((r) => r.epoch)).toEqual(Array.from({ length: 41 }, (_, i) => i * 10));
  }
}, 300_000);
