// The PyTorch reference of a workload computes our model: from the same initial weights on the same examples
// (workload-file.ts), its losses at the start and after the first AdamW steps (the warm-up's lr 0, then lr / 10)
// equal the trainer's on tfjs' wasm backend. The seed run is checked too, on its fused path and on the general path.
// Skipped where Debian's python3 cannot import torch.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { readyBackend } from '@grokking/backend';
import { hasTorch, PYTHON, torchEnv } from './python';
import { workloadRunner } from './workload-epoch';
import { writeWorkloadFile } from './workload-file';
import { workload, WORKLOAD_NAMES, type WorkloadSource } from './workloads';

jest.setTimeout(300_000);

const SCRIPT = join(__dirname, '..', 'torch', 'reference_workload.py');
const STEPS = 3;
let dir = '';

beforeAll(async () => {
  await readyBackend('wasm'); // one thread under jest; far faster than tfjs-cpu for these sizes
  dir = mkdtempSync(join(os.tmpdir(), 'workload-reference-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** PyTorch's loss before each of the first STEPS steps. */
function torchLosses(name: WorkloadSource): number[] {
  const file = join(dir, `${name}.safetensors`);
  writeWorkloadFile(workload(name), file);
  const args = [SCRIPT, '--file', file, '--warmup', String(STEPS), '--min-epochs', '0', '--max-epochs', '0'];
  const out = spawnSync(PYTHON, args, { env: torchEnv(), encoding: 'utf8', maxBuffer: 1 << 24 });
  if (out.status !== 0) throw new Error(out.stderr);
  return (JSON.parse(out.stdout) as { losses: number[] }).losses;
}

/** Ours, likewise. */
async function ourLosses(name: WorkloadSource, fastPath: boolean): Promise<number[]> {
  const runner = await workloadRunner(workload(name), { fastPath });
  const losses: number[] = [];
  for (let i = 0; i < STEPS; i++) losses.push(await runner.epoch());
  runner.dispose();
  return losses;
}

// The infinite-data presets of the finite ones' models (a sampled batch instead of the train set) add nothing the
// finite cases do not check; max-element, a model of its own, is checked.
const checked = WORKLOAD_NAMES.filter((n) => !n.endsWith('-infinite'));
const cases: [WorkloadSource, boolean][] = [...checked.map((n): [WorkloadSource, boolean] => [n, true]), ['modular-addition', true], ['modular-addition', false]];

(hasTorch() ? describe : describe.skip)('the PyTorch workload reference', () => {
  it.each(cases)('gives %s the losses of our model (fast path allowed: %s)', async (name, fastPath) => {
    const theirs = torchLosses(name);
    const ours = await ourLosses(name, fastPath);
    expect(theirs).toHaveLength(STEPS);
    // float32 on both sides, summed in different orders: agreement to a few parts in a million
    ours.forEach((loss, i) => expect(Math.abs(loss - theirs[i]!) / theirs[i]!).toBeLessThan(2e-5));
    expect(ours[2]).not.toBeCloseTo(ours[0]!, 4); // the third loss follows a step that moved the weights
  });
});
