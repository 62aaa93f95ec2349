import { liftWasmCoreCap } from './node-core-cap';

// A stand-in for the os module: the lift must patch the object it is given and nothing else.
function fakeOs(cores: number) {
  const cpus = () => Array.from({ length: cores }, () => ({ model: 'test' }) as unknown as ReturnType<typeof import('node:os').cpus>[number]);
  return { cpus };
}

// Named as tfjs-backend-wasm's Emscripten import that asks for the core count; the lift recognises its caller by name.
function _emscripten_num_logical_cores(os: { cpus: () => unknown[] }): number {
  return os.cpus().length;
}

describe('liftWasmCoreCap', () => {
  it("doubles the cores only for the wasm build's core query, until released", () => {
    const os = fakeOs(2);
    const original = os.cpus;
    const release = liftWasmCoreCap(os);
    expect(_emscripten_num_logical_cores(os)).toBe(4);
    expect(os.cpus()).toHaveLength(2); // any other caller sees the truth
    release();
    expect(os.cpus).toBe(original);
    expect(_emscripten_num_logical_cores(os)).toBe(2);
  });

  it('counts nested lifts: the last release restores os.cpus, and a second release of one lift does nothing', () => {
    const os = fakeOs(3);
    const original = os.cpus;
    const first = liftWasmCoreCap(os);
    const second = liftWasmCoreCap(os);
    first();
    first();
    expect(_emscripten_num_logical_cores(os)).toBe(6);
    second();
    expect(os.cpus).toBe(original);
  });

  it('still finds the caller when the process keeps no stack frames (Error.stackTraceLimit = 0)', () => {
    const os = fakeOs(2);
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      const release = liftWasmCoreCap(os);
      expect(_emscripten_num_logical_cores(os)).toBe(4);
      release();
    } finally {
      Error.stackTraceLimit = limit;
    }
    expect(Error.stackTraceLimit).toBe(limit);
  });
});
