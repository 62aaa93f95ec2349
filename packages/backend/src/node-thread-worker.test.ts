import { installThreadWorker } from './node-thread-worker';

const files = { workerScript: 'onmessage = () => {};', factoryPath: '/pkg/wasm-out/tfjs-backend-wasm-threaded-simd.js' };
const scriptBytes = new TextEncoder().encode(files.workerScript).length;

// Stands in for worker_threads.Worker: records what it was made with and what was done to it.
class FakeWorker {
  refs = 0;
  sent: unknown[] = [];
  constructor(
    readonly file: string | URL,
    readonly options?: { eval?: boolean },
  ) {}
  ref(): void {
    this.refs++;
  }
  postMessage(message: unknown): void {
    this.sent.push(message);
  }
}
const workerThreads = { Worker: FakeWorker } as unknown as typeof import('node:worker_threads');

// Blob URLs as the wasm build makes them: its worker script's blob, and another one.
const blobs = {
  resolveObjectURL: (url: string) =>
    ({
      'blob:nodedata:worker': { type: 'application/javascript', size: scriptBytes },
      'blob:nodedata:other': { type: 'application/javascript', size: scriptBytes + 1 },
    })[url] as ReturnType<typeof import('node:buffer').resolveObjectURL>,
};

type Made = FakeWorker & { postMessage(message: unknown, transfer?: unknown): void };
const make = (file: string, options?: object): Made => {
  const W = (globalThis as unknown as { Worker: new (f: string, o?: object) => Made }).Worker;
  return new W(file, options);
};

describe('installThreadWorker', () => {
  afterEach(() => {
    Reflect.deleteProperty(globalThis, 'Worker'); // false for the non-configurable one of the last test
  });

  it("runs the wasm build's worker blob as the package's own worker script, and leaves it unref'd", () => {
    expect(installThreadWorker(files, workerThreads, blobs)).toBe(true);
    const w = make('blob:nodedata:worker', { name: 'pthread' });
    expect(w).toBeInstanceOf(FakeWorker);
    expect(w.file).toBe(files.workerScript);
    // No Node options of the parent: its --input-type=module would make the eval'd CommonJS script an ES module.
    expect(w.options).toEqual({ name: 'pthread', eval: true, execArgv: [] });
    w.ref();
    expect(w.refs).toBe(0);
  });

  it("hands the worker the factory's path instead of its Blob, and passes every other message on as it is", () => {
    installThreadWorker(files, workerThreads, blobs);
    const w = make('blob:nodedata:worker');
    const blob = new Blob(['factory']);
    w.postMessage({ cmd: 'load', urlOrBlob: blob, wasmMemory: 'memory' });
    w.postMessage({ cmd: 'run', arg: 1 });
    expect(w.sent).toEqual([{ cmd: 'load', urlOrBlob: files.factoryPath, wasmMemory: 'memory' }, { cmd: 'run', arg: 1 }]);
  });

  it('leaves any other worker alone: paths, other blobs', () => {
    installThreadWorker(files, workerThreads, blobs);
    for (const file of ['/app/worker.js', 'blob:nodedata:other', 'blob:nodedata:revoked']) {
      const w = make(file);
      expect(w.file).toBe(file);
      expect(w.options).toBeUndefined();
      w.ref();
      expect(w.refs).toBe(1);
      const load = { cmd: 'load', urlOrBlob: new Blob(['x']) };
      w.postMessage(load);
      expect(w.sent).toEqual([load]);
    }
  });

  it("keeps its class when the wasm build assigns worker_threads.Worker, but keeps any other value assigned", () => {
    installThreadWorker(files, workerThreads, blobs);
    const ours = (globalThis as { Worker?: unknown }).Worker;
    (globalThis as { Worker?: unknown }).Worker = FakeWorker;
    expect((globalThis as { Worker?: unknown }).Worker).toBe(ours);
    expect(installThreadWorker(files, workerThreads, blobs)).toBe(true); // a second call changes nothing
    expect((globalThis as { Worker?: unknown }).Worker).toBe(ours);
    class Other {}
    (globalThis as { Worker?: unknown }).Worker = Other;
    expect((globalThis as { Worker?: unknown }).Worker).toBe(Other);
  });

  it('reports false when the global Worker cannot be replaced', () => {
    Object.defineProperty(globalThis, 'Worker', { value: class Fixed {}, configurable: false, writable: false });
    expect(installThreadWorker(files, workerThreads, blobs)).toBe(false);
  });
});
