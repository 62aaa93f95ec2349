// The cross-entropy kernels on wasm against float64 closed forms: the exp (down through the denormals), the parts
// of the precise loss and its gradient; their checks; and that other backends are told to use something else.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createRng } from '@grokking/tasks';
import { crossEntropyAvailable, crossEntropyGrad, crossEntropyParts } from './cross-entropy';
import { crossEntropyReference, expectClose } from './cross-entropy-reference';

function rowsOf(t: tf.Tensor): number[][] {
  return t.arraySync() as number[][];
}

describe('cross-entropy kernels on wasm', () => {
  beforeAll(async () => {
    await readyBackend('wasm', { threads: 1 });
  });

  it('is available on wasm', () => {
    expect(crossEntropyAvailable()).toBe(true);
  });

  it('computes exp to about an ulp, denormal results included, and 0 below -104', () => {
    // z - max z runs from 0 down to -110 in steps that are not multiples of ln 2; width 4001 leaves a tail of 1.
    const width = 4001;
    const z = Array.from({ length: width }, (_, j) => (-110 * j) / (width - 1));
    const y = z.map((_, j) => (j === 0 ? 1 : 0));
    const logits = tf.tensor2d([z]);
    const oneHot = tf.tensor2d([y]);
    const { e, lead, eC, rest } = crossEntropyParts(logits, oneHot);
    const got = e.dataSync();
    const want = Float32Array.from(z, (v) => Math.exp(Math.fround(v))); // the float32 input's exact exp, rounded
    z.forEach((v, j) => {
      const x = Math.fround(v);
      if (x < -104) expect(got[j]).toBe(0);
      else if (want[j]! >= 2 ** -126) expectClose([got[j]!], [Math.exp(x)], 2.5e-7); // normal: ~2 ulps
      else expectClose([got[j]!], [Math.exp(x)], 0, 2 ** -149); // denormal: one step of 2^-149
    });
    expect(got.some((v, j) => v > 0 && v < 2 ** -126 && Math.fround(z[j]!) > -104)).toBe(true); // denormals were produced
    tf.dispose([logits, oneHot, e, lead, eC, rest]);
  });

  it.each([[113], [7], [3], [1]])('gives the parts and the gradient of the float64 closed form (width %i)', (width) => {
    const rng = createRng(width);
    const rows = 9;
    const z = Array.from({ length: rows }, (_, r) => Array.from({ length: width }, () => rng.normal() * (r === rows - 1 ? 40 : 3)));
    z[0]![0] = 80; // a margin of ~80: the loss is ~e^-80, where 1 - p_c would round to 0
    const targets = Array.from({ length: rows }, (_, r) => (r === 0 ? 0 : rng.int(width)));
    const y = targets.map((c) => Array.from({ length: width }, (_, j) => (j === c ? 1 : 0)));
    const dyData = Array.from({ length: rows }, () => rng.normal());
    const [logits, oneHot, dy] = [tf.tensor2d(z), tf.tensor2d(y), tf.tensor1d(dyData)];
    const before = tf.memory().numTensors;
    const parts = crossEntropyParts(logits as tf.Tensor2D, oneHot as tf.Tensor2D);
    const grad = crossEntropyGrad(parts.e, oneHot as tf.Tensor2D, parts.eC, parts.rest, dy as tf.Tensor1D);
    const [e, g] = [rowsOf(parts.e), rowsOf(grad)];
    const [lead, eC, rest] = [parts.lead.dataSync(), parts.eC.dataSync(), parts.rest.dataSync()];
    z.forEach((row, r) => {
      const ref = crossEntropyReference(row.map(Math.fround), y[r]!, Math.fround(dyData[r]!));
      expectClose(e[r]!, ref.e, 1e-6, 1e-44);
      expectClose([lead[r]!, eC[r]!, rest[r]!], [ref.lead, ref.eC, ref.rest], 1e-5, 1e-44);
      expectClose(g[r]!, ref.grad, 1e-5, 1e-44);
    });
    // The precise loss from the parts keeps its relative precision where the naive form is 0 (one class: loss 0).
    // The kernel's loss is that, in float64 from the parts, rounded once.
    const loss = parts.loss.dataSync();
    const loss0 = loss[0]!;
    const ref0 = crossEntropyReference(z[0]!.map(Math.fround), y[0]!, 1);
    const want0 = ref0.lead + Math.log1p(ref0.eC - 1 + ref0.rest);
    if (width === 1) expect(loss0).toBe(0);
    else expect(Math.abs(loss0 / want0 - 1)).toBeLessThan(1e-5);
    z.forEach((row, r) => {
      const ref = crossEntropyReference(row.map(Math.fround), y[r]!, 1);
      const want = ref.lead + Math.log1p(ref.eC - 1 + ref.rest);
      expect(Math.abs(loss[r]! - want)).toBeLessThanOrEqual(1e-5 * Math.abs(want) + 1e-44);
      expect(loss[r]).toBe(Math.fround(lead[r]! + Math.log1p(eC[r]! - 1 + rest[r]!)));
    });
    tf.dispose([parts.e, parts.lead, parts.eC, parts.rest, parts.loss, grad]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([logits, oneHot, dy]);
  });

  it('names inputs of the wrong shape', () => {
    const [z, y, short] = [tf.zeros([2, 3]), tf.zeros([2, 4]), tf.zeros([3])];
    expect(() => crossEntropyParts(z as tf.Tensor2D, y as tf.Tensor2D)).toThrow('oneHot must be float32 [2, 3]; got float32 [2,4]');
    const parts = crossEntropyParts(z as tf.Tensor2D, z as tf.Tensor2D);
    expect(() => crossEntropyGrad(parts.e, z as tf.Tensor2D, parts.eC, parts.rest, short as tf.Tensor1D)).toThrow('dy must be float32 [2]; got float32 [3]');
    tf.dispose([z, y, short, parts.e, parts.lead, parts.eC, parts.rest, parts.loss]);
  });
});

describe('cross-entropy kernels elsewhere', () => {
  beforeAll(async () => {
    await readyBackend('cpu');
  });

  it('are not available on cpu, and say so', () => {
    expect(crossEntropyAvailable()).toBe(false);
    const z = tf.zeros([1, 2]) as tf.Tensor2D;
    expect(() => crossEntropyParts(z, z)).toThrow('the active backend is cpu');
    z.dispose();
  });
});
