// The row-mix kernels (row-mix.wat) as a WebAssembly instance on a given memory: tfjs' wasm backend's own, so the
// kernels read and write tensors where they lie. One instance per memory.
import { BINARY } from './row-mix-binary';

/** The kernels' exports; every pointer is a byte offset into the memory, every count a number of floats or rows. */
export interface RowMixExports {
  /**
   * out[n] = act(base[baseIdx[n]] + Σ_i weights[n, i] table_g(i)[rows[n, i]]) for n < batch, rows of `width` floats;
   * `tables` points at `groups` int32 table pointers. Scratch: k int32.
   */
  mix(
    tables: number, groups: number, base: number, width: number, baseIdx: number, rows: number, weights: number,
    k: number, batch: number, out: number, relu: number, scratch: number,
  ): void;
  /** The backward of mix: dWeights [batch, k], each dTable_g [tableRows, width] and dBase [baseRows, width]. Scratch: width floats. */
  mixBackward(
    tables: number, dTables: number, groups: number, width: number, dOut: number, mask: number, baseIdx: number,
    rows: number, weights: number, k: number, batch: number, tableRows: number, baseRows: number, scratch: number,
    dWeights: number, dBase: number,
  ): void;
}

const instances = new WeakMap<WebAssembly.Memory, RowMixExports | null>();

function decode(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/**
 * The kernels on `memory`, or null where this engine cannot run them (no WebAssembly SIMD). The binary matches the
 * memory: shared (tfjs' threaded backend) or plain. Compiled synchronously: the module is under 2 kB.
 *
 * @example
 * const kernels = rowMixInstance(new WebAssembly.Memory({ initial: 1 }));
 */
export function rowMixInstance(memory: WebAssembly.Memory): RowMixExports | null {
  if (instances.has(memory)) return instances.get(memory)!;
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  let exports: RowMixExports | null = null;
  try {
    const module = new WebAssembly.Module(decode(shared ? BINARY.shared : BINARY.plain));
    exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as RowMixExports;
  } catch {
    exports = null; // no SIMD, or a memory this binary cannot import: the caller keeps to tfjs' own kernels
  }
  instances.set(memory, exports);
  return exports;
}
