// Closed-form row mixing in float64, for tests: what the row-mix kernels compute, written as plainly as possible.

/** One call's data: G tables of [R, W] (row-major), base [Vb, W], baseIdx [B], rows and weights [B, k]. */
export interface MixCase {
  tables: Float32Array[];
  base: Float32Array;
  baseIdx: Int32Array;
  rows: Int32Array;
  weights: Float32Array;
  B: number;
  k: number;
  W: number;
  R: number;
  Vb: number;
}

/** out[n] = act(base[baseIdx[n]] + Σ_i weights[n, i] tables[i / (k / G)][rows[n, i]]). */
export function mixReference(c: MixCase, relu: boolean): Float64Array {
  const out = new Float64Array(c.B * c.W);
  const per = c.k / c.tables.length;
  for (let n = 0; n < c.B; n++) {
    for (let w = 0; w < c.W; w++) {
      let sum = c.base[c.baseIdx[n]! * c.W + w]!;
      for (let i = 0; i < c.k; i++) sum += c.weights[n * c.k + i]! * c.tables[Math.floor(i / per)]![c.rows[n * c.k + i]! * c.W + w]!;
      out[n * c.W + w] = relu ? Math.max(0, sum) : sum;
    }
  }
  return out;
}

/** The gradients of Σ dOut ⊙ out with respect to weights, tables and base; `mask` (the ReLU output) gates dOut. */
export function mixBackwardReference(c: MixCase, dOut: Float32Array, mask: Float32Array | null) {
  const per = c.k / c.tables.length;
  const dWeights = new Float64Array(c.B * c.k);
  const dTables = c.tables.map(() => new Float64Array(c.R * c.W));
  const dBase = new Float64Array(c.Vb * c.W);
  for (let n = 0; n < c.B; n++) {
    for (let w = 0; w < c.W; w++) {
      const g = mask && !(mask[n * c.W + w]! > 0) ? 0 : dOut[n * c.W + w]!;
      dBase[c.baseIdx[n]! * c.W + w]! += g;
      for (let i = 0; i < c.k; i++) {
        const t = Math.floor(i / per);
        const r = c.rows[n * c.k + i]! * c.W + w;
        dWeights[n * c.k + i]! += g * c.tables[t]![r]!;
        dTables[t]![r]! += g * c.weights[n * c.k + i]!;
      }
    }
  }
  return { dWeights, dTables, dBase };
}

/** max |a - b| / max(1, max |b|). */
export function scaledError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}
