import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_PACKAGES, type BackendName, isNode, parseBackendName, registeredName } from './names';
import { registerGradients } from './gradients';
import { loadBackendModule } from './load';
import { defaultWasmThreads } from './wasm-threads';

/** Options for {@link readyBackend}. */
export interface ReadyOptions {
  /**
   * Threads for the wasm backend's XNNPACK pool where threads are available: in Node with this workspace's patch of
   * tfjs-backend-wasm. Default: `GROKKING_WASM_THREADS` when set, 1 under jest, else every logical core (XNNPACK
   * caps it at 8). 1 loads the SIMD build without worker threads. Applies only when the wasm backend first starts.
   */
  threads?: number;
  /** Where the wasm backend finds its `.wasm` files in a browser (a URL prefix ending in `/`). */
  wasmPath?: string;
}

/** What {@link readyBackend} readied. */
export interface BackendInfo {
  /** The name asked for. */
  name: BackendName;
  /** The name tfjs reports as active (`tf.getBackend()`); equals `name` except tfjs-node's `tensorflow`. */
  active: string;
  /** Whether the wasm backend runs SIMD code, when it is the wasm backend. */
  simd?: boolean;
  /** The wasm backend's thread count, when it is the wasm backend. */
  threads?: number;
  /** Whether this is Node.js (else a browser or worker). */
  node: boolean;
}

/** The backend used when none is named: `wasm` in Node, `webgpu` where the browser has it, else `webgl`. */
export function defaultBackend(): BackendName {
  if (isNode()) return 'wasm';
  const gpu = (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu;
  return gpu ? 'webgpu' : 'webgl';
}

/**
 * Loads the backend's package, makes it tfjs' active backend, waits until it is ready and checks that tfjs did not
 * fall back to another one. Gradients are registered too, so training works whichever backend is chosen.
 *
 * @example
 * import { readyBackend } from '@grokking/backend';
 * const info = await readyBackend('wasm'); // on 2 cores: { name: 'wasm', active: 'wasm', simd: true, threads: 2, node: true }
 *
 * @throws when the name is unknown, the backend's package is not installed (the error names it), or the backend
 * fails to initialise here (for example no WebGPU adapter).
 */
export async function readyBackend(name: BackendName | string = defaultBackend(), options: ReadyOptions = {}): Promise<BackendInfo> {
  const backend = parseBackendName(name);
  registerGradients();
  const module = await loadBackendModule(backend);
  if (backend === 'wasm') await configureWasm(module, options);
  const tfName = registeredName(backend);
  let ok = false;
  try {
    ok = await tf.setBackend(tfName);
  } catch (err) {
    throw new Error(`backend "${backend}" failed to initialise: ${(err as Error).message}`);
  }
  await tf.ready();
  const active = tf.getBackend();
  if (!ok || active !== tfName) {
    throw new Error(`backend "${backend}" could not be initialised here (tfjs reports "${active}" active instead)`);
  }
  const info: BackendInfo = { name: backend, active, node: isNode() };
  if (backend === 'wasm') {
    const wasm = module as WasmModule;
    info.simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    info.threads = typeof wasm.getThreadsCount === 'function' ? wasm.getThreadsCount() : 1;
  }
  return info;
}

/** The name of the backend tfjs is using now, or undefined before any is ready. */
export function activeBackend(): string | undefined {
  return tf.engine().backendName ?? undefined;
}

interface WasmModule {
  setWasmPaths?: (prefix: string) => void;
  setThreadsCount?: (n: number) => void;
  getThreadsCount?: () => number;
  /** Set by this workspace's patch of the wasm backend (patches/), which lets its threads run in Node. */
  NODE_THREADS_SUPPORTED?: boolean;
}

// Before the wasm backend first initialises: its path, and in Node its threads. Unpatched tfjs-backend-wasm turns
// threads off in Node (its pthread workers load from blob: URLs, which worker_threads cannot); forcing the flag there
// makes tfjs fall back silently to another backend, so threads are enabled only when the patched build says it can.
async function configureWasm(module: unknown, options: ReadyOptions): Promise<void> {
  const wasm = module as WasmModule;
  if (options.wasmPath) wasm.setWasmPaths?.(options.wasmPath);
  if (options.threads !== undefined && (!Number.isInteger(options.threads) || options.threads < 1)) {
    throw new Error(`threads must be a positive integer; got ${options.threads}`);
  }
  if (isNode() && wasm.NODE_THREADS_SUPPORTED === true && typeof SharedArrayBuffer !== 'undefined') {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
    const threads = options.threads ?? defaultWasmThreads(env, await nodeCoreCount());
    // One thread: the plain SIMD build, which starts no workers.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads > 1);
    wasm.setThreadsCount?.(threads);
  } else if (options.threads !== undefined) {
    // A browser with cross-origin isolation runs the threaded build; XNNPACK otherwise takes half the logical cores.
    wasm.setThreadsCount?.(options.threads);
  }
}

async function nodeCoreCount(): Promise<number> {
  const osName = 'node:os';
  const os = (await import(/* @vite-ignore */ osName)) as { availableParallelism?: () => number; cpus: () => unknown[] };
  return os.availableParallelism?.() ?? os.cpus().length;
}

export { BACKEND_PACKAGES };
