// `pnpm bench`'s many-runs rows: for each workload, a child process (stacked-child.ts) times one model's step and K
// models' stacked step on the wasm backend, and the results give runs per hour (stacked-report.ts).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { backendLabel } from './report';
import type { StackedTfjsResult } from './stacked-child';
import { stackedResult, type StackedResult } from './stacked-report';
import { describeModel, workload, type WorkloadSource } from './workloads';

/**
 * The workloads of the many-runs rows, with the largest K timed for each and the wasm threads (default: the backend's,
 * every core): the seed run's model up to K = 4 (a K = 4 stack's process peaks at about 2 GB on wasm, whose heap stops
 * at 4 GB, and in an earlier trial a K = 16 stack had not finished its steps after 10 minutes), and the small model of
 * the reproduction's sweeps, also on one thread: the sweeps' local pools give each run one, and a step this small is
 * faster on one thread than on two.
 */
export const STACKED_WORKLOADS: readonly { name: WorkloadSource; maxModels: number; threads?: number }[] = [
  { name: 'modular-addition', maxModels: 4 },
  { name: 'modular-addition-p23', maxModels: 64 },
  { name: 'modular-addition-p23', maxModels: 64, threads: 1 },
];

/**
 * Times the stacked rows for each workload with K = `models` (up to the workload's largest K).
 *
 * @example
 * benchStacked({ backend: 'wasm', models: [1, 4, 16], epochs: '3:30:10', log: console.error });
 */
export function benchStacked(plan: { backend: string; models: readonly number[]; epochs: string; log: (line: string) => void }): StackedResult[] {
  const child = fileURLToPath(new URL('./stacked-child.js', import.meta.url));
  return STACKED_WORKLOADS.flatMap(({ name, maxModels, threads }) => {
    const models = plan.models.filter((k) => k <= maxModels);
    if (models.length === 0) return [];
    plan.log(`tfjs ${plan.backend}${threads ? `, ${threads} thread(s)` : ''} ${name}: one model, then K = ${models.join(', ')} stacked ...`);
    const args = [child, '--backend', plan.backend, '--workload', name, '--models', models.join(','), '--epochs', plan.epochs];
    const env = threads ? { ...process.env, GROKKING_WASM_THREADS: String(threads) } : process.env;
    const out = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24, env });
    if (out.status !== 0) throw new Error(`stacked timing of ${name} failed:\n${out.stderr}`);
    const r = JSON.parse(out.stdout.trim().split('\n').pop()!) as StackedTfjsResult;
    if (r.tensors.leaked !== 0) throw new Error(`stacked timing of ${name} leaked ${r.tensors.leaked} tensors`);
    const w = workload(name);
    const result = stackedResult(r, { model: describeModel(w.config), examples: w.train.size, backend: backendLabel(r) });
    plan.log(`  one model ${r.single.medianS.toFixed(4)} s/step`);
    for (const row of result.rows) plan.log(`  K = ${row.models}: ${row.medianS.toFixed(4)} s/step, ${row.speedup.toFixed(2)}x K separate steps`);
    return [result];
  });
}
