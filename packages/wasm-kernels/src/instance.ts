// A kernel binary as a WebAssembly instance on a given memory: tfjs' wasm backend's own, so kernels read and write
// tensors where they lie. One instance per binary and memory.

/** A kernel's binaries (base64): for a shared memory (tfjs' threaded backend) and for a plain one. */
export interface KernelBinary {
  shared: string;
  plain: string;
}

const instances = new WeakMap<KernelBinary, WeakMap<WebAssembly.Memory, WebAssembly.Exports | null>>();

function decode(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/**
 * The binary's exports on `memory`, or null where this engine cannot run it (no WebAssembly SIMD). The variant
 * matches the memory: shared or plain. Compiled synchronously: the binaries are a few kB.
 *
 * @example
 * const kernels = instanceOn<RowMixExports>(ROW_MIX_BINARY, new WebAssembly.Memory({ initial: 1 }));
 */
export function instanceOn<T>(binary: KernelBinary, memory: WebAssembly.Memory): T | null {
  let byMemory = instances.get(binary);
  if (!byMemory) instances.set(binary, (byMemory = new WeakMap()));
  if (byMemory.has(memory)) return byMemory.get(memory) as T | null;
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  let exports: WebAssembly.Exports | null = null;
  try {
    const module = new WebAssembly.Module(decode(shared ? binary.shared : binary.plain));
    exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  } catch {
    exports = null; // no SIMD, or a memory this binary cannot import: the caller keeps to tfjs' own kernels
  }
  byMemory.set(memory, exports);
  return exports as T | null;
}
