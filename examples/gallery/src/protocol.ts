// Messages between a page and the training worker.
import type { BackendInfo } from '@grokking/backend';
import type { EvalRecord } from '@grokking/trainer';

/** The tasks the worker trains. */
export type TaskKind = 'modular-addition' | 'digit-addition' | 'repeated-subsequence' | 'max-element';

/** The backends the gallery offers, in the order it falls back through them. */
export type GalleryBackend = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const GALLERY_BACKENDS: readonly GalleryBackend[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** Everything that defines a run. */
export interface RunSettings {
  task: TaskKind;
  backend: GalleryBackend;
  seed: number;
  epochs: number;
  evalEvery: number;
  /** Progress measures (W_E norms, excluded / restricted loss, per-target loss) every this many epochs. */
  metricsEvery: number;
  lr: number;
  weightDecay: number;
  dModel: number;
  /** Modular addition: the modulus and the share of the p² pairs trained on. */
  p: number;
  trainFraction: number;
  /** Digit addition: digits per operand. */
  digits: number;
  /** Sampled tasks: training examples (0 = fresh batches every step, infinite data). */
  trainSize: number;
  testSize: number;
  /** Sampled tasks on infinite data: examples per step. */
  batchSize: number;
}

export type ToWorker =
  | { type: 'start'; settings: RunSettings }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'download' };

/** A backend that could not be readied, and why. */
export interface BackendFailure {
  name: GalleryBackend;
  error: string;
}

export type FromWorker =
  | { type: 'backend'; info: BackendInfo; failed: BackendFailure[] }
  | { type: 'eval'; record: EvalRecord }
  | { type: 'state'; state: 'running' | 'paused' | 'done'; epoch: number }
  | { type: 'checkpoint'; epoch: number; bytes: ArrayBuffer }
  | { type: 'error'; message: string };

/** How a page shows the active backend (wasm with its SIMD and threads) and any fallback. */
export function describeBackend(info: BackendInfo, failed: BackendFailure[]): string {
  const threads = info.threads === undefined ? '' : `, ${info.threads} thread${info.threads === 1 ? '' : 's'}`;
  const name = info.name === 'wasm' ? `wasm (${info.simd ? 'SIMD' : 'no SIMD'}${threads})` : info.name;
  return failed.length ? `${name} (fell back: ${failed.map((f) => `${f.name} failed: ${f.error}`).join('; ')})` : name;
}
