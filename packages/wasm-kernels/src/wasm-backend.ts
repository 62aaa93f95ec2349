// The parts of tfjs' wasm backend that kernels use, reached without importing it: its module (memory, malloc) and
// where each tensor lies. Kernels are registered for 'wasm' through tfjs' own registry (registerKernel, runKernel).
import * as tf from '@tensorflow/tfjs-core';
import { instanceOn, type KernelBinary } from './instance';

/** The members of tfjs-backend-wasm's BackendWasm that kernels call. */
export interface WasmBackendLike {
  wasm: { _malloc(bytes: number): number; _free(ptr: number): void; wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
  getMemoryOffset(dataId: tf.DataId): number;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

/** The backend's memory, if `backend` is tfjs' wasm backend (threaded build: Module.wasmMemory; plain: asm.memory). */
function memoryOf(backend: unknown): WebAssembly.Memory | null {
  const be = backend as Partial<WasmBackendLike> | null;
  if (!be || typeof be.getMemoryOffset !== 'function' || typeof be.makeOutput !== 'function' || !be.wasm) return null;
  const memory = be.wasm.wasmMemory ?? be.wasm.asm?.memory;
  return memory instanceof WebAssembly.Memory ? memory : null;
}

/** A kernel binary's exports on this backend's memory, with the backend; null when it cannot run there. */
export function kernelsOn<T>(binary: KernelBinary, backend: unknown): { be: WasmBackendLike; memory: WebAssembly.Memory; k: T } | null {
  const memory = memoryOf(backend);
  const k = memory ? instanceOn<T>(binary, memory) : null;
  return memory && k ? { be: backend as WasmBackendLike, memory, k } : null;
}

/** Where a tensor's data starts in the backend's memory (bytes). */
export function offsetOf(be: WasmBackendLike, t: tf.TensorInfo): number {
  return be.getMemoryOffset(t.dataId);
}

/** Checks every entry of an int32 tensor against [0, limit): kernels read rows without bounds checks. */
export function checkIndices(be: WasmBackendLike, memory: WebAssembly.Memory, t: tf.TensorInfo, limit: number, what: string): void {
  const size = t.shape.reduce((a, b) => a * b, 1);
  const values = new Int32Array(memory.buffer, offsetOf(be, t), size);
  for (let i = 0; i < size; i++) {
    const v = values[i]!;
    if (!(v >= 0 && v < limit)) throw new Error(`${what}: index ${v} at ${i} is outside [0, ${limit})`);
  }
}

/** Runs `f` with `pointers` written to a fresh int32 array in the backend's memory and `scratchBytes` more (16-byte aligned). */
export function withPointers<T>(be: WasmBackendLike, memory: WebAssembly.Memory, pointers: number[], scratchBytes: number, f: (at: number, scratch: number) => T): T {
  const at = be.wasm._malloc(4 * pointers.length + scratchBytes + 16);
  try {
    new Int32Array(memory.buffer, at, pointers.length).set(pointers);
    return f(at, (at + 4 * pointers.length + 15) & ~15);
  } finally {
    be.wasm._free(at);
  }
}

/** A kernel for tfjs' wasm backend: its inputs and attributes, and its binary's exports on the backend's memory. */
export type WasmKernelFunc<T> = (args: {
  inputs: Record<string, tf.TensorInfo>;
  attrs: tf.NamedAttrMap;
  be: WasmBackendLike;
  memory: WebAssembly.Memory;
  k: T;
}) => tf.TensorInfo | tf.TensorInfo[];

/**
 * A binary's kernels, by name, and the gradients of those that have one. `available()` says whether the active
 * backend runs them (tfjs' wasm backend, with SIMD) and registers them there the first time; `require(op)` throws,
 * naming the op and the active backend, where it does not.
 *
 * @example
 * const kernels = wasmKernels<TransposeExports>(TRANSPOSE_BINARY, { [TRANSPOSE_2D]: ({ inputs, be, k }) => ... });
 * if (kernels.available()) ...
 */
export function wasmKernels<T>(binary: KernelBinary, kernels: Record<string, WasmKernelFunc<T>>, gradients: tf.GradConfig[] = []) {
  const register = (): void => {
    for (const [kernelName, run] of Object.entries(kernels)) {
      if (tf.getKernel(kernelName, 'wasm')) continue;
      tf.registerKernel({
        kernelName,
        backendName: 'wasm',
        kernelFunc: ({ inputs, backend, attrs }) =>
          run({ inputs: inputs as Record<string, tf.TensorInfo>, attrs: attrs ?? {}, ...kernelsOn<T>(binary, backend)! }),
      });
    }
    for (const gradient of gradients) if (!tf.getGradient(gradient.kernelName)) tf.registerGradient(gradient);
  };
  const available = (): boolean => {
    if (tf.getBackend() !== 'wasm' || !kernelsOn(binary, tf.backend())) return false;
    register();
    return true;
  };
  const require = (op: string): void => {
    if (!available()) throw new Error(`${op} runs on the wasm backend only; the active backend is ${tf.getBackend()}`);
  };
  return { available, require };
}
