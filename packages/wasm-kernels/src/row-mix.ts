// Weighted sums of table rows as tfjs kernels of the wasm backend (row-mix.wat), and their backward:
//   out[n] = act(base[baseIdx[n]] + Σ_i weights[n, i] table_g(i)[rows[n, i]])
// @grokking/model's fused one-layer path uses them to mix an example's attention-weighted value rows after the MLP's
// input projection, which turns the [batch, D] x [D, M] product and its gradients into k row reads per example.
// Registered for 'wasm' only, when first asked for; no backend is imported.
import * as tf from '@tensorflow/tfjs-core';
import { ROW_MIX_BINARY } from './row-mix-binary';
import { checkIndices, offsetOf, wasmKernels, withPointers } from './wasm-backend';

/** The kernels' names in tfjs' registry. */
export const ROW_MIX = 'GrokkingRowMix';
export const ROW_MIX_GRAD = 'GrokkingRowMixGrad';

/** The binary's exports; every pointer is a byte offset into the memory, every count a number of floats or rows. */
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

interface Shapes { B: number; k: number; W: number; R: number; Vb: number; G: number }

/**
 * The sizes of a call, checked: tables [G, R, W], base [Vb, W], baseIdx [B] or [B, 1], rows and weights [B, ...]
 * with k entries per example, k a multiple of G.
 */
function shapesOf(tables: tf.TensorInfo, base: tf.TensorInfo, baseIdx: tf.TensorInfo, rows: tf.TensorInfo, weights: tf.TensorInfo): Shapes {
  const [G, R, W] = tables.shape as [number, number, number];
  const B = baseIdx.shape[0]!;
  const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
  const k = size(rows.shape) / B;
  if (tables.shape.length !== 3 || G < 1 || base.shape.length !== 2 || base.shape[1] !== W) {
    throw new Error(`rowMix: the tables [G, R, W] and base [Vb, W] must share their width; got ${JSON.stringify(tables.shape)} and ${JSON.stringify(base.shape)}`);
  }
  if (size(baseIdx.shape) !== B || rows.shape[0] !== B || !Number.isInteger(k) || k % G !== 0 || size(weights.shape) !== B * k) {
    throw new Error(`rowMix: baseIdx [B], rows [B, ...k] (k a multiple of the ${G} tables) and weights (rows' size) disagree: ${JSON.stringify([baseIdx.shape, rows.shape, weights.shape])}`);
  }
  if (tables.dtype !== 'float32' || base.dtype !== 'float32' || weights.dtype !== 'float32' || rows.dtype !== 'int32' || baseIdx.dtype !== 'int32') {
    throw new Error('rowMix: tables, base and weights must be float32, rows and baseIdx int32');
  }
  return { B, k, W, R, Vb: base.shape[0]!, G };
}

/** Byte offsets of the G tables [R, W] of a stacked [G, R, W] tensor that starts at `at`. */
const tablePointers = (at: number, s: Shapes): number[] => Array.from({ length: s.G }, (_, g) => at + 4 * g * s.R * s.W);

const kernels = wasmKernels<RowMixExports>(ROW_MIX_BINARY, {
  [ROW_MIX]: ({ inputs, attrs, be, memory, k }) => {
    const { tables, base, baseIdx, rows, weights } = inputs;
    const s = shapesOf(tables!, base!, baseIdx!, rows!, weights!);
    checkIndices(be, memory, rows!, s.R, 'rowMix rows');
    checkIndices(be, memory, baseIdx!, s.Vb, 'rowMix baseIdx');
    const out = be.makeOutput([s.B, s.W], 'float32'); // [B, W]
    const at = (t: tf.TensorInfo) => offsetOf(be, t);
    withPointers(be, memory, tablePointers(at(tables!), s), 4 * s.k, (tablePtrs, scratch) => k.mix(
      tablePtrs, s.G, at(base!), s.W, at(baseIdx!), at(rows!), at(weights!), s.k, s.B, at(out), attrs['relu'] ? 1 : 0, scratch,
    ));
    return out;
  },
  [ROW_MIX_GRAD]: ({ inputs, be, memory, k }) => {
    const { tables, base, baseIdx, rows, weights, dOut, mask } = inputs;
    const s = shapesOf(tables!, base!, baseIdx!, rows!, weights!);
    checkIndices(be, memory, rows!, s.R, 'rowMixBackward rows');
    checkIndices(be, memory, baseIdx!, s.Vb, 'rowMixBackward baseIdx');
    const dWeights = be.makeOutput([...weights!.shape], 'float32'); // weights' shape
    const dBase = be.makeOutput([s.Vb, s.W], 'float32'); // [Vb, W]
    const dTables = be.makeOutput([s.G, s.R, s.W], 'float32'); // [G, R, W]
    const at = (t: tf.TensorInfo) => offsetOf(be, t);
    withPointers(be, memory, [...tablePointers(at(tables!), s), ...tablePointers(at(dTables), s)], 4 * s.W, (ptrs, scratch) => k.mixBackward(
      ptrs, ptrs + 4 * s.G, s.G, s.W, at(dOut!), mask ? at(mask) : 0, at(baseIdx!), at(rows!), at(weights!), s.k, s.B,
      s.R, s.Vb, scratch, at(dWeights), at(dBase),
    ));
    return [dWeights, dBase, dTables];
  },
});

/**
 * Whether the active backend runs the row-mix kernels (tfjs' wasm backend with WebAssembly SIMD); registers them on
 * first use.
 *
 * @example
 * if (rowMixAvailable()) out = rowMix(table, base, baseIdx, rows, weights, true);
 */
export function rowMixAvailable(): boolean {
  return kernels.available();
}

/**
 * act(base[baseIdx[n]] + Σ_i weights[n, i] tables[g(i)][rows[n, i]]) for every n: [B, W]. act is ReLU when `relu`.
 * The k entries of an example fall in G equal groups, in order; group g reads table g of `tables` [G, R, W]. Tables
 * and base [Vb, W] float32; baseIdx int32 [B] (or [B, 1]); rows int32 and weights float32 of one shape [B, ...].
 * Forward only: the caller writes the gradient with {@link rowMixBackward}.
 *
 * @example
 * const pre = rowMix(P, EI, queryTokens, rowIdx, pattern, true); // [B, W]; P [4, R, W], pattern [B, 4, n]
 */
export function rowMix(tables: tf.Tensor3D, base: tf.Tensor2D, baseIdx: tf.Tensor, rows: tf.Tensor, weights: tf.Tensor, relu: boolean): tf.Tensor2D {
  kernels.require('rowMix');
  return tf.engine().runKernel(ROW_MIX, { tables, base, baseIdx, rows, weights }, { relu }) as tf.Tensor2D;
}

/** Gradients of {@link rowMix}'s float inputs. */
export interface RowMixGrads {
  dWeights: tf.Tensor; // weights' shape
  dBase: tf.Tensor2D; // [Vb, W]
  dTables: tf.Tensor3D; // [G, R, W], as the tables
}

/**
 * The backward of {@link rowMix} for the incoming gradient dOut [B, W]. With `reluOut` (the forward's output when it
 * applied ReLU), dOut passes only where that output is positive.
 *
 * @example
 * const { dWeights, dBase, dTables } = rowMixBackward(tables, EI, queryTokens, rowIdx, pattern, dPost, post);
 */
export function rowMixBackward(
  tables: tf.Tensor3D, base: tf.Tensor2D, baseIdx: tf.Tensor, rows: tf.Tensor, weights: tf.Tensor,
  dOut: tf.Tensor2D, reluOut: tf.Tensor2D | null,
): RowMixGrads {
  kernels.require('rowMixBackward');
  const [B, W] = [baseIdx.shape[0]!, base.shape[1]];
  for (const [name, t] of [['dOut', dOut], ['reluOut', reluOut]] as const) {
    if (t && (t.shape.length !== 2 || t.shape[0] !== B || t.shape[1] !== W || t.dtype !== 'float32')) {
      throw new Error(`rowMixBackward: ${name} must be float32 [${B}, ${W}]; got ${t.dtype} ${JSON.stringify(t.shape)}`);
    }
  }
  const inputs: tf.NamedTensorMap = { tables, base, baseIdx, rows, weights, dOut };
  if (reluOut) inputs['mask'] = reluOut;
  const [dWeights, dBase, dTables] = tf.engine().runKernel(ROW_MIX_GRAD, inputs, {}) as tf.Tensor[];
  return { dWeights: dWeights!, dBase: dBase as tf.Tensor2D, dTables: dTables as tf.Tensor3D };
}
