/** The environment variable that sets the wasm backend's thread count in Node when `readyBackend` is given none. */
export const WASM_THREADS_ENV = 'GROKKING_WASM_THREADS';

/**
 * The wasm backend's thread count in Node when the caller names none: `GROKKING_WASM_THREADS` when set, 1 under jest,
 * else every logical core.
 *
 * Under jest it is 1 because jest imports modules afresh for every test file: each threaded wasm module keeps its
 * worker threads (8 of them) and its memory for the rest of the jest worker process, about 100 MB per test file.
 *
 * @param env The process environment (`process.env`).
 * @param cores The logical core count (`os.availableParallelism()`).
 * @example
 * defaultWasmThreads({}, 2);                             // 2
 * defaultWasmThreads({ GROKKING_WASM_THREADS: '1' }, 2); // 1
 * defaultWasmThreads({ JEST_WORKER_ID: '1' }, 2);        // 1
 * @throws when `GROKKING_WASM_THREADS` is not a positive integer.
 */
export function defaultWasmThreads(env: Record<string, string | undefined>, cores: number): number {
  const value = env[WASM_THREADS_ENV];
  if (value !== undefined && value !== '') {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${WASM_THREADS_ENV} must be a positive integer; got "${value}"`);
    return n;
  }
  if (env.JEST_WORKER_ID !== undefined) return 1;
  return Math.max(1, cores);
}
