// `pnpm bench`'s workloads: for each, the PyTorch reference (when torch is there) and the trainer on every tfjs backend
// asked for, each in its own process, in the same run as the seed run's rows. The PyTorch side reads the initial
// weights and the train set from a file written here (workload-file.ts), in a temporary folder removed afterwards.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTorchWorkload } from './torch-reference';
import type { WorkloadTfjsResult } from './workload-child';
import { writeWorkloadFile } from './workload-file';
import { backendLabel } from './report';
import { workloadResult, type WorkloadResult, type WorkloadRow } from './workload-report';
import { describeModel, describePositions, workload, type WorkloadName } from './workloads';

/** What to run: the workloads, the tfjs backends, whether PyTorch runs, and each side's `min:max:budget s` epochs. */
export interface WorkloadPlan {
  names: readonly WorkloadName[];
  backends: readonly string[];
  torch: boolean;
  torchEpochs: string;
  tfjsEpochs: string;
  log: (line: string) => void;
}

function runChild(backend: string, name: WorkloadName, epochs: string): WorkloadTfjsResult {
  const child = fileURLToPath(new URL('./workload-child.js', import.meta.url));
  const out = spawnSync(process.execPath, [child, '--backend', backend, '--workload', name, '--epochs', epochs], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (out.status !== 0) throw new Error(`tfjs workload ${name} on ${backend} failed:\n${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as WorkloadTfjsResult;
}

/**
 * Times every workload of the plan and returns its results (PyTorch's row first, when it ran).
 *
 * @example
 * benchWorkloads({ names: ['digit-addition'], backends: ['wasm'], torch: true, torchEpochs: '2:5:2', tfjsEpochs: '1:3:3', log: console.error });
 */
export function benchWorkloads(plan: WorkloadPlan): WorkloadResult[] {
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-workloads-'));
  try {
    return plan.names.map((name) => {
      const w = workload(name);
      const rows: WorkloadRow[] = [];
      if (plan.torch) {
        const file = join(dir, `${name}.safetensors`);
        writeWorkloadFile(w, file);
        plan.log(`PyTorch ${name} ...`);
        const t = runTorchWorkload(file, plan.torchEpochs);
        const blas = `${t.blas.name}${t.blas.threads ? `, ${t.blas.threads} threads` : ''}`;
        rows.push({ implementation: 'PyTorch reference', backend: `CPU, ${blas}`, medianS: t.median_s, timesS: t.times_s,
          firstLoss: t.first_loss, lastLoss: t.last_loss, peakRssMb: t.peak_rss_mb, reference: true });
        plan.log(`  ${t.median_s.toFixed(4)} s/step over ${t.times_s.length} steps; loss ${t.first_loss.toFixed(5)} -> ${t.last_loss.toFixed(5)}`);
      }
      for (const backend of plan.backends) {
        plan.log(`tfjs trainer ${backend} ${name} ...`);
        const r = runChild(backend, name, plan.tfjsEpochs);
        rows.push({ implementation: r.runner.split(' (')[0]!, backend: backendLabel(r), medianS: r.medianS, timesS: r.timesS,
          firstLoss: r.firstLoss, lastLoss: r.lastLoss, peakRssMb: r.peakRssMb, tensors: r.tensors });
        plan.log(`  ${r.medianS.toFixed(4)} s/step over ${r.timesS.length} steps; loss ${r.firstLoss.toFixed(5)} -> ${r.lastLoss.toFixed(5)}`);
      }
      const result = workloadResult({ name, model: describeModel(w.config), examples: w.train.size, positions: describePositions(w.info) }, rows);
      for (const r of result.rows) {
        // Same weights, same examples: the losses at init differ by float32 rounding only, unless the models differ.
        if (r.initLossRelDiff !== undefined && r.initLossRelDiff > 1e-4) {
          plan.log(`  warning: ${name} ${r.backend}: loss at init ${r.firstLoss} differs from PyTorch's by ${r.initLossRelDiff.toExponential(1)} (relative)`);
        }
      }
      return result;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
