import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createMlp, createTransformer, defineMlpConfig, defineTransformerConfig } from '@grokking/model';
import { fourierMaps, giniOfModel, sumSquaredWeights } from './weights';
import { cosW, expectClose, noLeak, sinW } from './test-fixtures';

// A shared 2-core machine can be slow; these budgets are generous, not timings.
jest.setTimeout(60_000);

beforeAll(async () => {
  await readyBackend('cpu');
});

/** The orthonormal Fourier basis of Z_p built here in float64, rows const, cos 1, sin 1, ... (p odd). */
function basisRows(p: number): number[][] {
  const rows = [Array.from({ length: p }, () => 1 / Math.sqrt(p))];
  for (let k = 1; k <= (p - 1) / 2; k++) {
    rows.push(Array.from({ length: p }, (_, x) => Math.sqrt(2 / p) * cosW(p, k, x)));
    rows.push(Array.from({ length: p }, (_, x) => Math.sqrt(2 / p) * sinW(p, k, x)));
  }
  return rows;
}

const transpose = (m: number[][]) => m[0]!.map((_, j) => m.map((row) => row[j]!));

/** Transformer-layout params with the given W_E [p+1, d] and W_L = W_out (W_U = identity). */
function params(W_E: number[][], W_out: number[][]): Record<string, tf.Variable> {
  const d = W_out[0]!.length;
  return {
    'embed.W_E': tf.variable(tf.tensor2d(W_E)),
    'blocks.0.mlp.W_out': tf.variable(tf.tensor2d(W_out)),
    'unembed.W_U': tf.variable(tf.eye(d)),
  };
}

describe('sumSquaredWeights', () => {
  it('sums w² per parameter and in total', async () => {
    const ps = { a: tf.variable(tf.tensor1d([1, -2, 3])), b: tf.variable(tf.tensor2d([[0.5, 0], [0, -1.5]])) };
    const got = await noLeak(() => sumSquaredWeights(ps));
    expect(got.byParam).toEqual({ a: 14, b: 2.5 });
    expect(got.total).toBe(16.5);
    tf.dispose(Object.values(ps));
  });
});

describe('fourierMaps', () => {
  it('is W_E and W_out·W_U of a transformer, and W_in, W_out of the MLP', () => {
    const model = createTransformer(defineTransformerConfig({ nLayers: 1, dModel: 8, nHeads: 2, dMlp: 6, nCtx: 3, dVocab: 6, dVocabOut: 5 }));
    const { W_E, W_L } = fourierMaps(model.params);
    const out = model.params['blocks.0.mlp.W_out']!.arraySync() as number[][];
    const U = model.params['unembed.W_U']!.arraySync() as number[][];
    const want = out.map((row) => U[0]!.map((_, j) => row.reduce((s, v, k) => s + v * U[k]![j]!, 0)));
    const got = W_L!.arraySync();
    want.forEach((row, i) => row.forEach((v, j) => expect(got[i]![j]).toBeCloseTo(v, 5)));
    expect(W_E.arraySync()).toEqual(model.params['embed.W_E']!.arraySync());
    tf.dispose([W_E, W_L!]);
    model.dispose();

    const mlp = createMlp(defineMlpConfig({ p: 7, dHidden: 4 }));
    const maps = fourierMaps(mlp.params);
    expect(maps.W_E.shape).toEqual([7, 4]);
    expect(maps.W_L!.arraySync()).toEqual(mlp.params['mlp.W_out']!.arraySync());
    tf.dispose([maps.W_E, maps.W_L!]);
    mlp.dispose();
  });

  it('has no W_L for an attention-only transformer, and refuses unknown layouts', () => {
    const model = createTransformer(defineTransformerConfig({ nLayers: 1, dModel: 8, nHeads: 2, nCtx: 3, dVocab: 6, attnOnly: true }));
    const { W_E, W_L } = fourierMaps(model.params);
    expect(W_L).toBeNull();
    W_E.dispose();
    model.dispose();
    const w = tf.variable(tf.zeros([2]));
    expect(() => fourierMaps({ w })).toThrow('cannot find W_E and W_L: expected embed.W_E (transformer) or mlp.W_in and mlp.W_out (MLP), got w');
    w.dispose();
  });
});

describe('giniOfModel', () => {
  const p = 13;
  const B = basisRows(p);
  const equalRow = Array.from({ length: p }, () => 0.3); // the '=' token's row is not read

  it('is 0 when every Fourier component has the same norm', async () => {
    // W_E = Bᵀ: its Fourier coefficients B·Bᵀ = I, every component of norm 1; likewise W_L = B.
    const ps = params([...transpose(B), equalRow], B);
    const gini = await noLeak(() => giniOfModel(ps, p));
    expect(gini.embedding).toBeCloseTo(0, 5);
    expect(gini.unembed).toBeCloseTo(0, 5);
    tf.dispose(Object.values(ps));
  });

  it('is (n-1)/n, near 1, when one wave holds everything', () => {
    // W_E[x] = cos(3x)·v: only the component cos 3 is non-zero; W_L rows write only sin 5 of the output.
    const v = [1, -2, 0.5];
    const W_E = [...Array.from({ length: p }, (_, x) => v.map((a) => a * cosW(p, 3, x))), [0, 0, 0]];
    const W_out = Array.from({ length: 4 }, (_, i) => Array.from({ length: p }, (_, z) => (i + 1) * sinW(p, 5, z)));
    const ps = params(W_E, W_out);
    const gini = giniOfModel(ps, p);
    const n = p - 1; // the non-constant components
    expectClose(gini.embedding, (n - 1) / n, 1e-5);
    expectClose(gini.unembed!, (n - 1) / n, 1e-5);
    tf.dispose(Object.values(ps));
  });
});
