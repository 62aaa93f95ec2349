// The row-mix binary itself, on a memory of each kind (shared, as tfjs' threaded backend has, and plain), with data
// laid out by hand, against the closed form.
import { createRng } from '@grokking/tasks';
import { instanceOn } from './instance';
import type { RowMixExports } from './row-mix';
import { ROW_MIX_BINARY } from './row-mix-binary';
import { mixBackwardReference, mixReference, scaledError, type MixCase } from './row-mix-reference';

/** Places arrays one after another (16-byte aligned) in a memory and returns their byte offsets. */
function layout(memory: WebAssembly.Memory) {
  let next = 64;
  return (data: Float32Array | Int32Array | number): number => {
    const size = typeof data === 'number' ? data : data.length;
    const at = next;
    next = (next + 4 * size + 15) & ~15;
    if (typeof data !== 'number') new (data instanceof Int32Array ? Int32Array : Float32Array)(memory.buffer, at, size).set(data as never);
    return at;
  };
}

describe.each([
  ['shared', () => new WebAssembly.Memory({ initial: 4, maximum: 64, shared: true })],
  ['plain', () => new WebAssembly.Memory({ initial: 4 })],
] as const)('row-mix binary on a %s memory', (_kind, makeMemory) => {
  it('mixes rows and returns their gradients as the closed form does', () => {
    const memory = makeMemory();
    const kernels = instanceOn<RowMixExports>(ROW_MIX_BINARY, memory)!;
    expect(kernels).not.toBeNull();
    expect(instanceOn(ROW_MIX_BINARY, memory)).toBe(kernels); // one instance per memory
    const rng = createRng(9);
    const [B, k, W, R, Vb] = [6, 4, 21, 3, 2]; // W = 16 + 4 + 1; two tables of two entries each
    const floats = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
    const c: MixCase = {
      tables: [floats(R * W), floats(R * W)], base: floats(Vb * W), weights: floats(B * k),
      baseIdx: Int32Array.from({ length: B }, () => rng.int(Vb)), rows: Int32Array.from({ length: B * k }, () => rng.int(R)),
      B, k, W, R, Vb,
    };
    const place = layout(memory);
    const tables = c.tables.map(place);
    const ptrs = { base: place(c.base), baseIdx: place(c.baseIdx), rows: place(c.rows), weights: place(c.weights) };
    const tablePtrs = place(Int32Array.from(tables));
    const out = place(B * W);
    const view = (at: number, n: number) => new Float32Array(memory.buffer, at, n);

    kernels.mix(tablePtrs, 2, ptrs.base, W, ptrs.baseIdx, ptrs.rows, ptrs.weights, k, B, out, 1, place(k));
    expect(scaledError(view(out, B * W), mixReference(c, true))).toBeLessThan(1e-6);

    const dOut = floats(B * W);
    const dTables = [place(R * W), place(R * W)];
    const [dWeights, dBase] = [place(B * k), place(Vb * W)];
    new Float32Array(memory.buffer, dTables[0]!, R * W).fill(7); // zeroed by the kernel
    kernels.mixBackward(
      tablePtrs, place(Int32Array.from(dTables)), 2, W, place(dOut), out, ptrs.baseIdx, ptrs.rows, ptrs.weights, k, B, R, Vb,
      place(W), dWeights, dBase,
    );
    const want = mixBackwardReference(c, dOut, view(out, B * W));
    expect(scaledError(view(dWeights, B * k), want.dWeights)).toBeLessThan(1e-5);
    expect(scaledError(view(dBase, Vb * W), want.dBase)).toBeLessThan(1e-5);
    dTables.forEach((d, g) => expect(scaledError(view(d, R * W), want.dTables[g]!)).toBeLessThan(1e-5));
  });
});
