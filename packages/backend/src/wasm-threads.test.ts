import { defaultWasmThreads, WASM_THREADS_ENV } from './wasm-threads';

describe('defaultWasmThreads', () => {
  it('takes every logical core outside jest when the variable is unset or empty', () => {
    expect(defaultWasmThreads({}, 2)).toBe(2);
    expect(defaultWasmThreads({ [WASM_THREADS_ENV]: '' }, 6)).toBe(6);
  });

  it('takes 1 under jest, which imports the backend afresh for every test file', () => {
    expect(defaultWasmThreads({ JEST_WORKER_ID: '3' }, 8)).toBe(1);
  });

  it('lets GROKKING_WASM_THREADS win, under jest too', () => {
    expect(defaultWasmThreads({ [WASM_THREADS_ENV]: '3' }, 2)).toBe(3);
    expect(defaultWasmThreads({ [WASM_THREADS_ENV]: '2', JEST_WORKER_ID: '1' }, 8)).toBe(2);
  });

  it.each(['0', '-2', '1.5', 'two'])('rejects GROKKING_WASM_THREADS=%s, naming it', (value) => {
    expect(() => defaultWasmThreads({ [WASM_THREADS_ENV]: value }, 2)).toThrow(
      `GROKKING_WASM_THREADS must be a positive integer; got "${value}"`,
    );
  });
});
