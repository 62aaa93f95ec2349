// Typed records through tf.customGrad's list of saved tensors: listed in walk order, rebuilt from the clones the
// backward gets, and a clone of another rank or dtype is named.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { restoreSaved, savedTensors, type TensorMap } from './saved';

interface Record2 {
  a: tf.Tensor2D;
  heads: tf.Tensor1D[];
  rows: tf.Tensor2D | null;
}

const mapRecord = (r: Record2, map: TensorMap): Record2 => ({ a: map(r.a), heads: r.heads.map((t) => map(t)), rows: r.rows && map(r.rows) });

beforeAll(async () => {
  await readyBackend('cpu');
});

describe('saved records', () => {
  it('lists a record in walk order and rebuilds it from clones', () => {
    const record: Record2 = { a: tf.ones([2, 3]), heads: [tf.zeros([2]), tf.ones([2])], rows: null };
    const list = savedTensors(record, mapRecord);
    expect(list).toEqual([record.a, ...record.heads]);
    const clones = list.map((t) => tf.clone(t));
    const restored = restoreSaved(record, mapRecord, clones);
    expect(restored.a).toBe(clones[0]);
    expect(restored.heads).toEqual([clones[1], clones[2]]);
    expect(restored.rows).toBeNull();
    const wrong = tf.ones([2, 2]);
    expect(() => restoreSaved(record, mapRecord, [clones[0]!, wrong, clones[2]!])).toThrow('saved tensor 1: expected a float32 tensor of rank 1, got float32 of rank 2');
    expect(() => restoreSaved(record, mapRecord, [...clones, clones[0]!])).toThrow('the backward got 4 saved tensors; the record holds 3');
    tf.dispose([...list, ...clones, wrong]);
  });
});
