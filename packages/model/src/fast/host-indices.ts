// Where the tokens read back cheaply (wasm), the fused path reads a batch once per call and does its index
// arithmetic in JavaScript: the same indices exampleIndices (examples.ts) makes with tfjs ops, here a few uploads
// instead of a dozen small kernels, and the backward makes them again from the same arrays instead of keeping
// copies (tfjs-wasm copies every tensor saved for a backward).
import * as tf from '@tensorflow/tfjs-core';
import type { ExampleIndices } from './examples';
import { foldsQuery, type FastSizes } from './sizes';

/** The indices of the mixed path: the examples' and the rows each example mixes. */
export interface MixedIndices extends ExampleIndices {
  mixRows: tf.Tensor3D; // [B, H, m] int32: row j * V + t_j of head h's mixed tables; m = q if foldsQuery, else n
}

/** A batch read back: its tokens and the distinct query tokens at q, in order of first appearance. */
export interface HostBatch {
  tokens: Int32Array; // [B * nPos] row-major
  nPos: number;
  queries: number[]; // the distinct tokens at position q
  queryIndex: Int32Array; // [B] each example's position in `queries`
}

/**
 * Reads tokens int32 [B, nPos] back and checks positions 0..q against the vocabulary.
 *
 * @example
 * const batch = readBatch(tokens, 114, 2); // batch.queries: [113] for x|y|= data
 */
export function readBatch(tokens: tf.Tensor2D, dVocab: number, q: number): HostBatch {
  const [B, nPos] = tokens.shape;
  const data = tokens.dataSync() as Int32Array;
  const rowOf = new Map<number, number>();
  const queryIndex = new Int32Array(B);
  for (let i = 0; i < B; i++) {
    for (let j = 0; j <= q; j++) {
      const t = data[i * nPos + j]!;
      if (!(t >= 0 && t < dVocab)) throw new Error(`tokens: ${t} at row ${i}, position ${j} is outside the vocabulary [0, ${dVocab})`);
    }
    const t = data[i * nPos + q]!;
    let row = rowOf.get(t);
    if (row === undefined) rowOf.set(t, (row = rowOf.size));
    queryIndex[i] = row;
  }
  return { tokens: data, nPos, queries: [...rowOf.keys()], queryIndex };
}

/**
 * A maker of the batch's table indices (MixedIndices) for sizes s: the arrays are computed once, each call
 * uploads them. The query rows are the batch's distinct query tokens when s.Q is their count, else the tokens.
 *
 * @example
 * const makeIndices = hostIndices(batch, sizes);
 * const idx = makeIndices(); // forward; call again in the backward
 */
export function hostIndices(batch: HostBatch, s: FastSizes): () => MixedIndices {
  const { B, V, H, n, q } = s;
  const m = foldsQuery(s) ? q : n; // positions whose rows are mixed
  const { tokens, nPos, queryIndex } = batch;
  const compact = s.Q === batch.queries.length && s.Q < V;
  const scores = new Int32Array(B * H * n);
  const values = new Int32Array(B * n);
  const query = new Int32Array(B);
  const mixRows = new Int32Array(B * H * m);
  for (let b = 0; b < B; b++) {
    const u = compact ? queryIndex[b]! : tokens[b * nPos + q]!; // the example's query row
    query[b] = u;
    for (let j = 0; j < n; j++) values[b * n + j] = j * V + tokens[b * nPos + j]!;
    for (let h = 0; h < H; h++) {
      for (let j = 0; j < n; j++) scores[(b * H + h) * n + j] = ((u * H + h) * n + j) * V + tokens[b * nPos + j]!;
      for (let j = 0; j < m; j++) mixRows[(b * H + h) * m + j] = values[b * n + j]!;
    }
  }
  return () => ({
    scores: tf.tensor4d(scores, [B, H, n, 1], 'int32'),
    values: tf.tensor3d(values, [B, n, 1], 'int32'),
    query: tf.tensor2d(query, [B, 1], 'int32'),
    mixRows: tf.tensor3d(mixRows, [B, H, m], 'int32'),
  });
}
