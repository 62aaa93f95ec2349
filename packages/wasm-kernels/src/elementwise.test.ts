// The elementwise kernel on wasm against tfjs' own add, sub and mul on the same backend and inputs, for every
// broadcast the model uses and the folding's edge cases; its gradient against tf.grad of tfjs' ops;
// its checks; and that other backends are told to use something else.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createRng } from '@grokking/tasks';
import { elementwise, elementwiseAvailable, type ElementwiseOp } from './elementwise';

const TF_OPS: Record<ElementwiseOp, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = { add: tf.add, sub: tf.sub, mul: tf.mul };

/** [aShape, bShape]: same shapes, rows, columns, scalars, an outer sum, a broadcast in the middle, empty. */
const SHAPES: Array<[number[], number[]]> = [
  [[5, 7], [5, 7]], [[1037], [1037]], [[24, 32], [1, 32]], [[3, 96], [96]], [[264, 4, 3], [264, 4, 1]],
  [[7, 5], []], [[], [3, 2]], [[1, 24, 64], [3, 1, 64]], [[1, 1, 32], [1, 4, 32]], [[32, 1], [1, 23]],
  [[2, 3, 4, 5], [2, 1, 4, 1]], [[2, 1, 3, 1, 5], [1, 4, 3, 1, 5]], [[0, 3], [1, 3]], [[1], [1]],
];

function random(shape: number[], seed: number): tf.Tensor {
  const rng = createRng(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape);
}

describe('elementwise kernel on wasm', () => {
  beforeAll(async () => {
    await readyBackend('wasm', { threads: 1 });
  });

  it('is available on wasm', () => {
    expect(elementwiseAvailable()).toBe(true);
  });

  it.each(SHAPES)('%j with %j: add, sub and mul equal tfjs\' ops bit for bit', (aShape, bShape) => {
    const [a, b] = [random(aShape, aShape.length + 1), random(bShape, bShape.length + 7)];
    const before = tf.memory().numTensors;
    for (const op of ['add', 'sub', 'mul'] as const) {
      const got = elementwise(op, a, b);
      const want = TF_OPS[op](a, b);
      expect(got.shape).toEqual(want.shape);
      expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
      tf.dispose([got, want]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });

  it.each([[[24, 32], [1, 32]], [[32, 1], [1, 23]], [[264, 4, 3], [264, 4, 1]], [[4, 5], []]])('%j with %j: gradients equal those of tfjs\' ops', (aShape, bShape) => {
    const [a, b] = [random(aShape, 3), random(bShape, 4)];
    const outShape = tf.backend_util.assertAndGetBroadcastShape(aShape, bShape);
    const w = random(outShape, 5);
    for (const op of ['add', 'sub', 'mul'] as const) {
      const ours = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(elementwise(op, x, y), w)))([a, b]);
      const theirs = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(TF_OPS[op](x, y), w)))([a, b]);
      ours.forEach((g, i) => {
        expect(g.shape).toEqual(theirs[i]!.shape);
        const [x, y] = [g.dataSync(), theirs[i]!.dataSync()];
        x.forEach((v, j) => expect(Math.abs(v - y[j]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(y[j]!))));
      });
      tf.dispose([...ours, ...theirs]);
    }
    tf.dispose([a, b, w]);
  });

  it('names bad inputs', () => {
    const [a, b, ints] = [tf.zeros([2, 3]), tf.zeros([4]), tf.zeros([2, 3], 'int32')];
    expect(() => elementwise('add', a, b)).toThrow('Operands could not be broadcast together with shapes 2,3 and 4');
    expect(() => elementwise('mul', a, ints)).toThrow('elementwise: a and b must be float32; got float32 [2,3] and int32 [2,3]');
    expect(() => elementwise('div' as ElementwiseOp, a, a)).toThrow('elementwise: op must be one of add, sub, mul; got "div"');
    const [six, other] = [tf.zeros([2, 1, 2, 1, 2, 1, 2]), tf.zeros([1, 2, 1, 2, 1, 2, 1])];
    expect(() => elementwise('add', six, other)).toThrow('fold to 7 axes; at most 4 are supported');
    tf.dispose([a, b, ints, six, other]);
  });
});

describe('elementwise kernel elsewhere', () => {
  beforeAll(async () => {
    await readyBackend('cpu');
  });

  it('is not available on cpu, and says so', () => {
    expect(elementwiseAvailable()).toBe(false);
    const x = tf.tensor1d([1, 2]);
    expect(() => elementwise('add', x, x)).toThrow('the active backend is cpu');
    x.dispose();
  });
});
