// What the fused path's forward keeps for its backward, as typed records. tf.customGrad keeps a list of tensors and
// hands the backward clones of it; each record's module says how to map over its tensors (mapAttentionTablesSaved,
// mapReadoutTables, ...: every tensor named once), and that one walk both lists a record for `save` and rebuilds it,
// typed, from the clones.
import type * as tf from '@tensorflow/tfjs-core';

/** A function from each tensor of a record to one of the same type. */
export type TensorMap = <T extends tf.Tensor>(t: T) => T;

/** A record's walk: the same record with every tensor mapped. */
export type MapSaved<S> = (record: S, map: TensorMap) => S;

/**
 * The record's tensors in the order its walk visits them, for tf.customGrad's `save`.
 *
 * @example
 * save(savedTensors(saved, mapOneLayerSaved));
 */
export function savedTensors<S>(record: S, walk: MapSaved<S>): tf.Tensor[] {
  const list: tf.Tensor[] = [];
  walk(record, (t) => {
    list.push(t);
    return t;
  });
  return list;
}

/**
 * The record rebuilt from the tensors the backward gets back (clones of {@link savedTensors}' list, in its order),
 * each checked against its original's rank and dtype.
 *
 * @example
 * gradFunc: (dy, kept) => backward(dy, restoreSaved(saved, mapOneLayerSaved, kept))
 */
export function restoreSaved<S>(record: S, walk: MapSaved<S>, kept: readonly tf.Tensor[]): S {
  let i = 0;
  const restored = walk(record, (original) => {
    const clone = kept[i++];
    if (!isCloneOf(original, clone)) {
      throw new Error(`saved tensor ${i - 1}: expected a ${original.dtype} tensor of rank ${original.rank}, got ${clone ? `${clone.dtype} of rank ${clone.rank}` : 'none'}`);
    }
    return clone;
  });
  if (i !== kept.length) throw new Error(`the backward got ${kept.length} saved tensors; the record holds ${i}`);
  return restored;
}

/** Whether t can stand for original: a tensor of its rank and dtype (tfjs' clone of it). */
function isCloneOf<T extends tf.Tensor>(original: T, t: tf.Tensor | undefined): t is T {
  return t !== undefined && t.rank === original.rank && t.dtype === original.dtype;
}
