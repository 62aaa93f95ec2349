import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_PACKAGES, type BackendName, isNode, parseBackendName, registeredName } from './names';
import { registerGradients } from './gradients';
import { loadBackendModule } from './load';
import { defaultWasmThreads } from './wasm-threads';
import { prepareNodeWasmThreads } from './node-wasm-threads';
import { shareWasmIdentity } from './wasm-identity';

/** Options for {@link readyBackend}. */
export interface ReadyOptions {
  /**
   * Threads for the wasm backend's XNNPACK pool where threads are available: in Node (tfjs-backend-wasm 4.22.0 as npm
   * ships it) and in cross-origin isolated browsers. In Node the default is `GROKKING_WASM_THREADS` when set, 1 under
   * jest, else every logical core; at most the logical cores and 8 are used. 1 loads the SIMD build without worker
   * threads. Applies only when the wasm backend first starts.
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
 * fall back to another one. Gradients are registered too, so training works whichever backend is chosen. On wasm, a
 * clone shares its input's data as on cpu (see wasm-identity.ts) instead of copying it.
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
  const started = backend === 'wasm' ? await configureWasm(module, options) : undefined;
  const tfName = registeredName(backend);
  let ok = false;
  try {
    ok = await tf.setBackend(tfName);
  } catch (err) {
    throw new Error(`backend "${backend}" failed to initialise: ${(err as Error).message}`);
  } finally {
    started?.();
  }
  await tf.ready();
  const active = tf.getBackend();
  if (!ok || active !== tfName) {
    throw new Error(`backend "${backend}" could not be initialised here (tfjs reports "${active}" active instead)`);
  }
  const info: BackendInfo = { name: backend, active, node: isNode() };
  if (backend === 'wasm') {
    shareWasmIdentity();
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
  version_wasm?: unknown;
}

// Before the wasm backend first initialises: its path, and in Node its threads. tfjs-backend-wasm as npm ships it
// turns threads off in Node (its pthread workers load from blob: URLs, which worker_threads cannot); forcing the flag
// alone makes it fail to start, so the flag is set only once prepareNodeWasmThreads has put its hooks in place around
// the package. Returns what to call once the backend has started.
async function configureWasm(module: unknown, options: ReadyOptions): Promise<(() => void) | undefined> {
  const wasm = module as WasmModule;
  if (options.wasmPath) wasm.setWasmPaths?.(options.wasmPath);
  if (options.threads !== undefined && (!Number.isInteger(options.threads) || options.threads < 1)) {
    throw new Error(`threads must be a positive integer; got ${options.threads}`);
  }
  if (!isNode() || typeof SharedArrayBuffer === 'undefined') {
    // A browser with cross-origin isolation runs the threaded build; XNNPACK otherwise takes half the logical cores.
    if (options.threads !== undefined) wasm.setThreadsCount?.(options.threads);
    return undefined;
  }
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  const threads = options.threads ?? defaultWasmThreads(env, await nodeCoreCount());
  let release: (() => void) | undefined;
  if (threads > 1) {
    const prepared = await prepareNodeWasmThreads(wasm);
    // Not prepared (a version not checked, its files missing): the SIMD build on one thread, as tfjs would choose.
    if (!prepared.ready) return undefined;
    release = prepared.release;
  }
  // One thread: the plain SIMD build, which starts no workers.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads > 1);
  wasm.setThreadsCount?.(threads);
  return release;
}

async function nodeCoreCount(): Promise<number> {
  const osName = 'node:os';
  const os = (await import(/* @vite-ignore */ osName)) as { availableParallelism?: () => number; cpus: () => unknown[] };
  return os.availableParallelism?.() ?? os.cpus().length;
}

export { BACKEND_PACKAGES };
