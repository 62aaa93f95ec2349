import { liftWasmCoreCap } from './node-core-cap';
import { nodeRequire } from './node-require';
import { installThreadWorker } from './node-thread-worker';
import { findThreadedWasmFiles } from './wasm-out-files';

/*
 * How the wasm backend gets threads in Node, as npm ships it (tfjs-backend-wasm 4.22.0 turns them off there).
 *
 * Considered:
 * - A pnpm patch of its Node bundle (pnpm's patchedDependencies): works, but only where pnpm applies it; npm users
 *   of this package get the published, single-threaded build.
 * - Writing a patched copy of its bundle at run time and loading that: tfjs code rewritten by string replacement, a
 *   second module instance to keep in step with tfjs-core's registry, and it breaks on any change of the bundle's text.
 * - tfjs' own hooks alone: `setWasmPaths()` only says where the .wasm binaries are; the `locateFile` that hands
 *   Emscripten the worker's blob: URL, and the factory's Blob, are made inside tfjs' init() with no way to replace
 *   them; `setThreadsCount()` is capped at half the cores it is told of. Not enough on their own.
 * - A worker script of our own: it would re-implement Emscripten's pthread protocol for one build.
 *
 * Chosen: hooks from outside, around the unchanged package. Its flag WASM_HAS_MULTITHREAD_SUPPORT is set to true;
 * the global `Worker` it constructs is one that runs the package's own worker script and factory, shipped in its
 * wasm-out/ (node-thread-worker.ts); and, while it starts, its core count query sees the cores twice so the thread
 * count asked for is not halved (node-core-cap.ts). Each hook is checked against the installed version
 * (wasm-out-files.ts); anything unexpected leaves the backend on one thread, as before.
 */

/** The parts of the tfjs-backend-wasm module used here. */
export interface WasmThreadsModule {
  version_wasm?: unknown;
}

/** What {@link prepareNodeWasmThreads} did: whether threads can be used, and why not. */
export type NodeWasmThreads = { ready: true; release: () => void } | { ready: false; reason: string };

/**
 * Readies tfjs-backend-wasm, as npm ships it, to start its threaded build in Node; call before the backend first
 * initialises, set `WASM_HAS_MULTITHREAD_SUPPORT` to true when `ready`, and call `release()` once it has started
 * (it ends the core count lift; the worker hook stays, for workers started later).
 */
export async function prepareNodeWasmThreads(wasm: WasmThreadsModule): Promise<NodeWasmThreads> {
  const require = await nodeRequire();
  const files = findThreadedWasmFiles(require, wasm.version_wasm);
  if (typeof files === 'string') return { ready: false, reason: files };
  const installed = installThreadWorker(files, require('node:worker_threads'), require('node:buffer'));
  if (!installed) return { ready: false, reason: 'the global Worker cannot be replaced (it is not configurable)' };
  return { ready: true, release: liftWasmCoreCap(require('node:os')) };
}
