/**
 * The files of the installed @tensorflow/tfjs-backend-wasm that its threaded build needs in Node, read from the
 * package itself rather than copied into this one: the pthread worker's script and the threaded module's factory.
 */
export interface ThreadedWasmFiles {
  /** The pthread worker's script, ready to run in a `worker_threads` Worker with `eval: true`. */
  workerScript: string;
  /** The threaded module's factory (`wasm-out/tfjs-backend-wasm-threaded-simd.js`): the worker loads it by path. */
  factoryPath: string;
}

/**
 * The versions of tfjs-backend-wasm whose Node threads {@link prepareNodeWasmThreads} was checked against. The hooks
 * rely on details of its Emscripten output (how it makes and loads pthread workers and counts cores), so another
 * version stays on one thread until it has been checked and added here.
 */
export const VERIFIED_WASM_VERSIONS: readonly string[] = ['4.22.0'];

const WORKER_FILE = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js';
const FACTORY_FILE = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';

/**
 * Finds the threaded build's files in the tfjs-backend-wasm that resolves from this package, and checks that it is the
 * same, verified version as the module that was loaded.
 *
 * @param require A `require` anchored at this package ({@link nodeRequire}).
 * @param loadedVersion `version_wasm` of the loaded module.
 * @returns the files, or a sentence saying why threads cannot be used.
 */
export function findThreadedWasmFiles(require: NodeJS.Require, loadedVersion: unknown): ThreadedWasmFiles | string {
  if (typeof loadedVersion !== 'string' || !VERIFIED_WASM_VERSIONS.includes(loadedVersion)) {
    return `tfjs-backend-wasm ${JSON.stringify(loadedVersion)} is not a version checked for Node threads (${VERIFIED_WASM_VERSIONS.join(', ')})`;
  }
  let installed: unknown;
  let contents: unknown;
  let factoryPath: string;
  try {
    installed = (require('@tensorflow/tfjs-backend-wasm/package.json') as { version?: unknown }).version;
    contents = (require(WORKER_FILE) as { wasmWorkerContents?: unknown }).wasmWorkerContents;
    factoryPath = require.resolve(FACTORY_FILE);
  } catch (err) {
    return `tfjs-backend-wasm's threaded files could not be read: ${(err as Error).message}`;
  }
  if (installed !== loadedVersion) {
    return `the tfjs-backend-wasm beside @grokking/backend is ${JSON.stringify(installed)}, but ${loadedVersion} was loaded`;
  }
  if (typeof contents !== 'string' || contents.length === 0) return `${WORKER_FILE} exports no wasmWorkerContents`;
  // The script's string literals hold "\n" escapes that became real newlines in the exported string; as code they
  // must be escapes again (tfjs does the same before it makes its blob).
  return { workerScript: contents.replace(/\n/g, '\\n'), factoryPath };
}
