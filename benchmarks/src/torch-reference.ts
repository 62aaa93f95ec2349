import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hasTorch, openBlasDir, PYTHON, torchEnv } from './python';
import type { Formulation } from './setup';
import { WORKLOAD_WARMUP_S } from './timing';
import type { WorkloadName } from './workloads';

export { openBlasDir, PYTHON } from './python';
/** What the reference needs from apt. */
export const APT_PACKAGES = ['python3-torch', 'libopenblas0-pthread'];
const SCRIPT = fileURLToPath(new URL('../torch/reference_epoch.py', import.meta.url));
const WORKLOAD_SCRIPT = fileURLToPath(new URL('../torch/reference_workload.py', import.meta.url));

/** What reference_epoch.py prints. */
export interface TorchResult {
  formulation: Formulation;
  examples: number;
  median_s: number;
  times_s: number[];
  first_loss: number;
  last_loss: number;
  torch_version: string;
  torch_threads: number;
  python: string;
  blas: { name: string; libraries: string[]; threads: number | null };
  peak_rss_mb: number;
  sgemm_gflops?: number;
}

/**
 * Makes sure python3-torch and OpenBLAS are there: installs them with apt-get when running as root (unless
 * `install` is false), else returns the command to run. Returns undefined when ready, or why the reference is off.
 */
export function ensureTorch(install: boolean): string | undefined {
  const missing = (): string[] => [...(hasTorch() ? [] : ['python3-torch']), ...(openBlasDir() ? [] : ['libopenblas0-pthread'])];
  if (missing().length === 0) return undefined;
  const command = `apt-get install -y --no-install-recommends ${missing().join(' ')}`;
  const isRoot = process.getuid?.() === 0;
  if (install && isRoot && existsSync('/usr/bin/apt-get')) {
    console.error(`PyTorch reference: installing ${missing().join(', ')} with apt-get`);
    const apt = (args: string[]): boolean =>
      spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
    if (!apt(command.split(' ').slice(1))) {
      apt(['update']);
      apt(command.split(' ').slice(1));
    }
    if (missing().length === 0) return undefined;
  }
  if (!hasTorch()) return `PyTorch reference skipped: ${PYTHON} cannot import torch. Install it with: sudo ${command}`;
  return undefined; // torch without OpenBLAS still runs, on the reference BLAS; the results say which BLAS it used
}

/** The Debian package version of python3-torch, e.g. `1.13.1+dfsg-4`, or undefined. */
export function torchPackageVersion(): string | undefined {
  const q = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'python3-torch'], { encoding: 'utf8' });
  return q.status === 0 && q.stdout ? q.stdout : undefined;
}

/**
 * Runs the PyTorch reference epoch with OpenBLAS selected through LD_LIBRARY_PATH (when installed) and
 * OPENBLAS_NUM_THREADS = the core count unless set (python.ts' torchEnv); torch itself runs one thread.
 */
export function runTorch(formulation: Formulation, epochs: string, sgemm: boolean): TorchResult {
  const [minEpochs, maxEpochs, budgetS] = epochs.split(':');
  const args = [SCRIPT, '--formulation', formulation, '--min-epochs', minEpochs!, '--max-epochs', maxEpochs!, '--budget-s', budgetS!];
  const child = spawnSync(PYTHON, sgemm ? [...args, '--sgemm'] : args, { env: torchEnv(), encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`PyTorch reference (${formulation}) failed: ${child.stderr || child.error?.message}`);
  return JSON.parse(child.stdout) as TorchResult;
}

/** What reference_workload.py prints. */
export interface TorchWorkloadResult extends Omit<TorchResult, 'formulation' | 'sgemm_gflops'> {
  workload: WorkloadName;
  /** The loss before every epoch run, warm-up included: losses[0] is the loss at the initial weights. */
  losses: number[];
}

/**
 * Runs the PyTorch reference of a workload on the file workload-file.ts wrote, in the same environment as
 * {@link runTorch}. `epochs` is `min:max:budget seconds`.
 *
 * @example
 * runTorchWorkload('/tmp/digit-addition.safetensors', '5:50:10').median_s;
 */
export function runTorchWorkload(file: string, epochs: string): TorchWorkloadResult {
  const [minEpochs, maxEpochs, budgetS] = epochs.split(':');
  const args = [WORKLOAD_SCRIPT, '--file', file, '--warmup-s', String(WORKLOAD_WARMUP_S), '--min-epochs', minEpochs!, '--max-epochs', maxEpochs!, '--budget-s', budgetS!];
  const child = spawnSync(PYTHON, args, { env: torchEnv(), encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`PyTorch reference (${file}) failed: ${child.stderr || child.error?.message}`);
  return JSON.parse(child.stdout) as TorchWorkloadResult;
}
