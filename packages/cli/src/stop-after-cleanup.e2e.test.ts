// `grok train --stop-after-cleanup` end to end: the run records the sum of squared weights at every evaluation and
// stops at the first evaluation where the rule holds, checked here against metrics.jsonl by an independent reading
// of the rule; a resumed run carries the rule's window over the interruption.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(__dirname, '..', 'dist', 'bin.js');

function grok(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, GROKKING_WASM_THREADS: '1' } });
  if (r.status !== 0) throw new Error(`grok ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r;
}

const metricsOf = (dir: string) => readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n')
  .map((l) => JSON.parse(l) as { epoch: number; testAccuracy: number; sumSquaredWeights: { total: number } });

/** The rule, read off the evaluations up to index i: 1,000 epochs grokked and Σw² fell by under 2% over them. */
function cleanedUpAt(rows: ReturnType<typeof metricsOf>, i: number): boolean {
  const now = rows[i]!;
  const window = rows.slice(0, i + 1).filter((r) => r.epoch >= now.epoch - 1000);
  const start = [...rows.slice(0, i + 1)].reverse().find((r) => r.epoch <= now.epoch - 1000);
  if (!start || window.some((r) => r.testAccuracy < 0.999) || start.testAccuracy < 0.999) return false;
  return (start.sumSquaredWeights.total - now.sumSquaredWeights.total) / start.sumSquaredWeights.total < 0.02;
}

// p = 23 with 60% of pairs, the small model, lr 1e-2: it groks within ~1,000 epochs and its weights settle ~1,500 later.
const SMALL = ['--preset', 'modular-addition', '--p', '23', '--train-fraction', '0.6', '--d-model', '32', '--n-heads', '4', '--d-mlp', '64',
  '--lr', '0.01', '--eval-every', '25', '--checkpoint-every', '500', '--backend', 'wasm', '--seed', '0', '--no-analyze', '--quiet'];

describe('grok train --stop-after-cleanup', () => {
  const dir = mkdtempSync(join(tmpdir(), 'grok-cleanup-'));
  let stderr = '';
  beforeAll(() => {
    stderr = grok(['train', ...SMALL, '--epochs', '6000', '--stop-after-cleanup', '--out', dir]).stderr;
  }, 120_000);

  it('stops at the first evaluation where the sum of squared weights has settled after grokking', () => {
    // The rule fires at an evaluation; the run finishes that epoch, checkpoints and evaluates once more.
    const rows = metricsOf(dir);
    const fired = rows.length - 2;
    expect(rows[fired + 1]!.epoch).toBe(rows[fired]!.epoch + 1);
    expect(stderr).toContain(`cleaned up at epoch ${rows[fired]!.epoch + 1}`);
    expect(rows[fired]!.epoch).toBeLessThan(6000);
    expect(rows.every((r) => r.sumSquaredWeights.total > 0)).toBe(true);
    expect(cleanedUpAt(rows, fired)).toBe(true);
    expect(rows.slice(0, fired).some((_, i) => cleanedUpAt(rows, i))).toBe(false);
  });

  it('carries the rule over a resume: interrupted inside the window, resumed, it stops at the same evaluation', () => {
    const rows = metricsOf(dir);
    const stopAt = rows.at(-1)!.epoch;
    // A copy of the run as if killed after the checkpoint 500-1,000 epochs before the stop: later checkpoints removed.
    const cut = Math.floor((stopAt - 500) / 500) * 500;
    const copy = mkdtempSync(join(tmpdir(), 'grok-cleanup-resumed-'));
    cpSync(dir, copy, { recursive: true });
    for (const file of readdirSync(join(copy, 'checkpoints'))) if (Number(file.match(/\d+/)?.[0]) > cut) rmSync(join(copy, 'checkpoints', file));
    const resumed = grok(['train', '--resume', copy, '--stop-after-cleanup', '--quiet', '--no-analyze']);
    expect(resumed.stderr).toContain(`cleaned up at epoch ${stopAt}`);
    expect(metricsOf(copy)).toEqual(rows);
  });
});
