// Every kernel on tfjs' threaded wasm backend, whose memory is a SharedArrayBuffer (what a Node program gets by
// default: tfjs-backend-wasm as npm ships it, started with threads by @grokking/backend's hooks, which work under jest
// too): the binaries' shared-memory builds, against closed forms and tfjs' own ops. Own test file: the backend starts
// once per module registry, here with two threads.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend, type BackendInfo } from '@grokking/backend';
import { createRng } from '@grokking/tasks';
import { availableParallelism } from 'node:os';
import { adamStep, adamStepAvailable, type AdamScalars } from './adam';
import { batchMatMul, batchMatMulAvailable } from './batch-matmul';
import { emulateAdam } from './adam-reference';
import { crossEntropyAvailable, crossEntropyGrad, crossEntropyParts } from './cross-entropy';
import { crossEntropyReference, expectClose } from './cross-entropy-reference';
import { concat2d, gatherRows, matrixCopyAvailable, slice2d } from './matrix-copy';
import { rowMix, rowMixAvailable, rowMixBackward } from './row-mix';
import { softmaxAvailable } from './softmax';
import { mixBackwardReference, mixReference, scaledError, type MixCase } from './row-mix-reference';
import { transpose2d, transpose2dAvailable } from './transpose';
import type { WasmBackendLike } from './wasm-backend';

let info: BackendInfo;

beforeAll(async () => {
  info = await readyBackend('wasm', { threads: 2 });
});

/** A seeded generator and standard normal float32 data from it. */
function seeded(seed: number) {
  const rng = createRng(seed);
  return { rng, floats: (n: number) => Float32Array.from({ length: n }, () => rng.normal()) };
}

describe('kernels on the threaded wasm backend (a shared memory)', () => {
  it('runs on the threaded build: the threads flag on, two threads, a shared memory', () => {
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(true);
    expect(info.threads).toBe(Math.min(2, availableParallelism()));
    const memory = (tf.backend() as unknown as WasmBackendLike).wasm.wasmMemory;
    expect(memory?.buffer).toBeInstanceOf(SharedArrayBuffer);
    // A plain binary cannot import a shared memory, so these say true only with the shared builds instantiated.
    const available = [adamStepAvailable, crossEntropyAvailable, transpose2dAvailable, matrixCopyAvailable, rowMixAvailable, batchMatMulAvailable, softmaxAvailable];
    expect(available.map((f) => f())).toEqual([true, true, true, true, true, true, true]);
  });

  it('adam: equals the float32 emulation bit for bit (AdamW; 1003 floats, a tail of 3)', () => {
    const { floats } = seeded(1);
    const size = 1003;
    const scalars: AdamScalars = { l2: 0, decay: 1 - 1e-3, b1: 0.9, b2: 0.98, bc2Sqrt: Math.sqrt(1 - 0.98 ** 5), eps: 1e-8, stepSize: 1e-3 / (1 - 0.9 ** 5) };
    const [p, g, m] = [floats(size), floats(size), floats(size)];
    const v = Float32Array.from(floats(size), (x) => x * x);
    const ts = [p, g, m, v].map((d) => tf.tensor1d(d));
    const out = adamStep(ts[0]!, ts[1]!, ts[2]!, ts[3]!, scalars);
    const want = emulateAdam(p, g, m, v, scalars);
    expect(out.map((t) => Array.from(t.dataSync()))).toEqual([want.p, want.m, want.v].map((a) => Array.from(a)));
    tf.dispose([...ts, ...out]);
  });

  it('cross-entropy: the parts and the gradient of the float64 closed form (113 classes, one row with margin 80)', () => {
    const { rng, floats } = seeded(2);
    const [rows, width] = [7, 113];
    const z = Array.from({ length: rows }, () => Array.from(floats(width), (x) => 3 * x)); // [rows, width]
    z[0]![5] = 80; // a loss of ~e^-80, where 1 - p_c would round to 0
    const targets = Array.from({ length: rows }, (_, r) => (r === 0 ? 5 : rng.int(width)));
    const y = targets.map((c) => Array.from({ length: width }, (_, j) => (j === c ? 1 : 0))); // [rows, width]
    const dyData = Array.from(floats(rows)); // [rows]
    const [logits, oneHot, dy] = [tf.tensor2d(z), tf.tensor2d(y), tf.tensor1d(dyData)] as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const parts = crossEntropyParts(logits, oneHot);
    const grad = crossEntropyGrad(parts.e, oneHot, parts.eC, parts.rest, dy);
    const [e, g] = [parts.e.arraySync(), grad.arraySync()];
    const [lead, eC, rest] = [parts.lead.dataSync(), parts.eC.dataSync(), parts.rest.dataSync()];
    expect([e.length, g.length, lead.length]).toEqual([rows, rows, rows]);
    z.forEach((row, r) => {
      const ref = crossEntropyReference(row.map(Math.fround), y[r]!, Math.fround(dyData[r]!));
      expectClose(e[r]!, ref.e, 1e-6, 1e-44);
      expectClose([lead[r]!, eC[r]!, rest[r]!], [ref.lead, ref.eC, ref.rest], 1e-5, 1e-44);
      expectClose(g[r]!, ref.grad, 1e-5, 1e-44);
    });
    tf.dispose([logits, oneHot, dy, parts.e, parts.lead, parts.eC, parts.rest, parts.loss, grad]);
  });

  it('transpose: equals tf.transpose, with and without 4 x 4 edges', () => {
    const { floats } = seeded(3);
    for (const [rows, cols] of [[383, 113], [8, 12], [9, 6]] as const) {
      const x = tf.tensor2d(floats(rows * cols), [rows, cols]);
      const [got, want] = [transpose2d(x), tf.transpose(x)];
      expect(got.shape).toEqual([cols, rows]);
      expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
      tf.dispose([x, got, want]);
    }
  });

  it('batched product: equals tf.matMul to float32 rounding, with every transpose (n = 17: an edge)', () => {
    const { floats } = seeded(6);
    const [batch, m, k, n] = [5, 15, 9, 17];
    for (const [tA, tB] of [[false, false], [false, true], [true, false], [true, true]] as const) {
      const a = tf.tensor3d(floats(batch * m * k), tA ? [batch, k, m] : [batch, m, k]);
      const b = tf.tensor3d(floats(batch * k * n), tB ? [batch, n, k] : [batch, k, n]);
      const [got, want] = [batchMatMul(a, b, tA, tB), tf.matMul(a, b, tA, tB)];
      expect(got.shape).toEqual([batch, m, n]);
      const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]!);
      expect(gap).toBeLessThan(1e-5);
      tf.dispose([a, b, got, want]);
    }
  });

  it('matrix copy: slices, concatenations and gathers equal tf.slice, tf.concat and tf.gather', () => {
    const { floats } = seeded(4);
    const x = tf.tensor2d(floats(130 * 625), [130, 625]);
    const [got, want] = [slice2d(x, [1, 512], [128, 113]), tf.slice(x, [1, 512], [128, 113])];
    expect(got.shape).toEqual([128, 113]);
    expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
    for (const axis of [0, 1] as const) {
      const parts = axis === 0 ? [[3, 7], [5, 7], [1, 7]] : [[4, 2], [4, 9], [4, 1]];
      const xs = parts.map(([r, c]) => tf.tensor2d(floats(r! * c!), [r!, c!]));
      const [cat, tfCat] = [concat2d(xs, axis), tf.concat(xs, axis)];
      expect(cat.shape).toEqual(tfCat.shape);
      expect(Array.from(cat.dataSync())).toEqual(Array.from(tfCat.dataSync()));
      tf.dispose([...xs, cat, tfCat]);
    }
    const indices = tf.tensor1d([129, 0, 7, 7], 'int32');
    const [gathered, tfGathered] = [gatherRows(x, indices), tf.gather(x, indices)];
    expect(Array.from(gathered.dataSync())).toEqual(Array.from(tfGathered.dataSync()));
    tf.dispose([x, got, want, indices, gathered, tfGathered]);
  });

  it('row mix: forward and backward equal the closed form (3 tables, W = 16 + 4 + 3)', () => {
    const { rng, floats } = seeded(5);
    const [B, k, W, R, Vb] = [9, 6, 23, 5, 3];
    const c: MixCase = {
      tables: [floats(R * W), floats(R * W), floats(R * W)], base: floats(Vb * W), weights: floats(B * k),
      baseIdx: Int32Array.from({ length: B }, () => rng.int(Vb)), rows: Int32Array.from({ length: B * k }, () => rng.int(R)),
      B, k, W, R, Vb,
    };
    const tables = tf.tensor3d([...c.tables[0]!, ...c.tables[1]!, ...c.tables[2]!], [3, R, W]);
    const base = tf.tensor2d(c.base, [Vb, W]);
    const baseIdx = tf.tensor1d(c.baseIdx, 'int32');
    const rows = tf.tensor2d(c.rows, [B, k], 'int32');
    const weights = tf.tensor2d(c.weights, [B, k]);
    const post = rowMix(tables, base, baseIdx, rows, weights, true); // [B, W]
    expect(post.shape).toEqual([B, W]);
    expect(scaledError(post.dataSync(), mixReference(c, true))).toBeLessThan(1e-6);
    const dOutData = floats(B * W);
    const dOut = tf.tensor2d(dOutData, [B, W]);
    const got = rowMixBackward(tables, base, baseIdx, rows, weights, dOut, post);
    const want = mixBackwardReference(c, dOutData, post.dataSync() as Float32Array);
    expect(scaledError(got.dWeights.dataSync(), want.dWeights)).toBeLessThan(1e-5);
    expect(scaledError(got.dBase.dataSync(), want.dBase)).toBeLessThan(1e-5);
    expect(got.dTables.shape).toEqual([3, R, W]);
    const dTables = got.dTables.dataSync();
    want.dTables.forEach((d, i) => expect(scaledError(dTables.subarray(i * R * W, (i + 1) * R * W), d)).toBeLessThan(1e-5));
    tf.dispose([tables, base, baseIdx, rows, weights, post, dOut, got.dWeights, got.dBase, got.dTables]);
  });
});
