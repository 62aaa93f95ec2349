// Where the PyTorch references run: Debian's interpreter with python3-torch, OpenBLAS chosen through LD_LIBRARY_PATH.
// Kept apart from torch-reference.ts (which finds the scripts through import.meta) so tests can use it too.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';

/** Debian's interpreter, which sees python3-torch (a pyenv or venv python on PATH would not); BENCH_PYTHON overrides. */
export const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';

/** The directory of OpenBLAS' pthread libblas.so.3 (Debian's libopenblas0-pthread), if installed. */
export function openBlasDir(): string | undefined {
  for (const triplet of existsSync('/usr/lib') ? readdirSync('/usr/lib') : []) {
    const dir = `/usr/lib/${triplet}/openblas-pthread`;
    if (triplet.endsWith('-linux-gnu') && existsSync(`${dir}/libblas.so.3`)) return dir;
  }
  return undefined;
}

/** Whether {@link PYTHON} imports torch. Run from /, so that the benchmark's own torch/ folder is not what it finds. */
export const hasTorch = (): boolean => spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore', cwd: '/' }).status === 0;

/**
 * The environment a reference runs in: OpenBLAS first on LD_LIBRARY_PATH (when installed) and OPENBLAS_NUM_THREADS
 * = the core count unless set; the scripts themselves run torch on one thread. No bytecode files: the scripts import
 * torch/harness.py, which would otherwise leave a __pycache__ folder in the checkout.
 *
 * @example
 * spawnSync(PYTHON, [script], { env: torchEnv() });
 */
export function torchEnv(): NodeJS.ProcessEnv {
  const dir = openBlasDir();
  return {
    ...process.env,
    OPENBLAS_NUM_THREADS: process.env.OPENBLAS_NUM_THREADS ?? String(os.availableParallelism()),
    PYTHONDONTWRITEBYTECODE: '1',
    ...(dir ? { LD_LIBRARY_PATH: [dir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') } : {}),
  };
}
