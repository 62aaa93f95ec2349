type Os = Pick<typeof import('node:os'), 'cpus'>;

/** Where the lift is kept on the `os` module, shared by every copy of this package in the process. */
const STATE = Symbol.for('@grokking/backend:wasm-core-cap');
/** The Emscripten import through which tfjs-backend-wasm's C++ asks for the logical core count. */
const CORE_QUERY = /\b_emscripten_num_logical_cores\b/;

interface LiftState {
  original: Os['cpus'];
  holders: number;
}

/**
 * Lifts tfjs-backend-wasm's cap on its thread count, until the returned function is called. Its C++ takes half the
 * logical cores (to skip hyperthreads) as the most threads `setThreadsCount()` may get, so 2 cores give 1 thread. In
 * Node the build asks `os.cpus()`; while lifted, that call, and only a call from that import, sees every core twice,
 * so the cap becomes the logical core count and `setThreadsCount()` decides. Other callers see the true list.
 *
 * Nested lifts are counted; the last release restores `os.cpus`.
 */
export function liftWasmCoreCap(os: Os): () => void {
  const host = os as Os & { [STATE]?: LiftState };
  let state = host[STATE];
  if (state === undefined) {
    const original = os.cpus;
    state = { original, holders: 0 };
    host[STATE] = state;
    os.cpus = function cpus() {
      const list = original.call(os);
      return calledFromCoreQuery() ? [...list, ...list] : list;
    };
  }
  state.holders++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const s = host[STATE]!;
    if (--s.holders === 0) {
      os.cpus = s.original;
      delete host[STATE];
    }
  };
}

function calledFromCoreQuery(): boolean {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 4; // this function, cpus(), its caller: a user's 0 would hide the caller
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  return CORE_QUERY.test(stack);
}
