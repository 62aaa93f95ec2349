import type { ThreadedWasmFiles } from './wasm-out-files';

type WorkerThreads = typeof import('node:worker_threads');
type WorkerClass = WorkerThreads['Worker'];
type Blobs = Pick<typeof import('node:buffer'), 'resolveObjectURL'>;

/** Marks the Worker class installed here, so a second call (another readyBackend, another copy) leaves it be. */
const MARK = Symbol.for('@grokking/backend:wasm-thread-worker');

/**
 * Makes the global `Worker` that tfjs-backend-wasm's threaded build constructs its pthread workers with one that
 * works in Node. That build, in Node, sets `globalThis.Worker = worker_threads.Worker` and then:
 *
 * - creates each worker from a `blob:` URL of its worker script, which `worker_threads` cannot load: here a Worker
 *   given that blob runs the same script, read from the installed package (`eval: true`), without the parent's Node
 *   options (`execArgv: []`): the script is CommonJS, and a parent started with `--input-type=module` would make
 *   eval'd code an ES module (no `require`);
 * - sends the worker a Blob of its module factory to load, which the worker reads as a file path: here it gets the
 *   path of the same factory in the installed package;
 * - `ref()`s a worker while its pthread runs; XNNPACK's pool threads run for the life of the module, so the process
 *   could never exit. The main thread waits on them synchronously, so here they stay unref'd.
 *
 * Every other use of the global `Worker` gets a plain `worker_threads.Worker`. The global is an accessor, so the
 * build's own assignment of `worker_threads.Worker` keeps this class, while any other value assigned is kept.
 *
 * @returns false when the global `Worker` cannot be replaced (it is not configurable).
 */
export function installThreadWorker(files: ThreadedWasmFiles, workerThreads: WorkerThreads, blobs: Blobs): boolean {
  const global = globalThis as Record<string, unknown>;
  const existing = Object.getOwnPropertyDescriptor(global, 'Worker');
  if ((existing?.get?.() as Record<symbol, unknown> | undefined)?.[MARK] === true) return true;
  if (existing !== undefined && !existing.configurable) return false;
  let current: unknown = threadWorkerClass(files, workerThreads.Worker, blobs);
  Object.defineProperty(global, 'Worker', {
    configurable: true,
    enumerable: false,
    get: () => current,
    set: (value: unknown) => {
      if (value !== workerThreads.Worker) current = value;
    },
  });
  return true;
}

function threadWorkerClass(files: ThreadedWasmFiles, Base: WorkerClass, blobs: Blobs): WorkerClass {
  const scriptBytes = new TextEncoder().encode(files.workerScript).length;
  // The build's worker blob: a JavaScript Blob exactly as long as the worker script of the same installed package.
  const isWasmWorkerBlob = (file: unknown): boolean => {
    if (typeof file !== 'string' || !file.startsWith('blob:')) return false;
    const blob = blobs.resolveObjectURL(file);
    return blob !== undefined && blob.type === 'application/javascript' && blob.size === scriptBytes;
  };

  class WasmThreadWorker extends Base {
    static readonly [MARK] = true;
    private readonly wasmThread: boolean;

    constructor(file: string | URL, options?: ConstructorParameters<WorkerClass>[1]) {
      const wasmThread = isWasmWorkerBlob(file);
      super(wasmThread ? files.workerScript : file, wasmThread ? { ...options, eval: true, execArgv: [] } : options);
      this.wasmThread = wasmThread;
    }

    override ref(): void {
      if (!this.wasmThread) super.ref();
    }

    override postMessage(message: unknown, transferList?: Parameters<InstanceType<WorkerClass>['postMessage']>[1]): void {
      const load = message as { cmd?: unknown; urlOrBlob?: unknown } | null;
      if (this.wasmThread && load?.cmd === 'load' && typeof load.urlOrBlob !== 'string') {
        message = { ...load, urlOrBlob: files.factoryPath };
      }
      super.postMessage(message, transferList);
    }
  }
  return WasmThreadWorker;
}
