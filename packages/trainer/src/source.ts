// Where each epoch's batches come from. A fixed train set is uploaded once: full-batch training steps on it as is
// (one step per epoch); minibatch training gathers rows in an order shuffled by the trainer's generator each epoch.
// Sampled (infinite) data draws one fresh batch per epoch from the task's sampler with the same generator.
import * as tf from '@tensorflow/tfjs-core';
import type { Rng, TaskInfo } from '@grokking/tasks';
import { gatherBatch, toDevice, type Batch, type DeviceData } from './data';
import type { TrainData } from './options';

/** The batches of a run. */
export interface DataSource {
  /** Calls `step` on each batch of the epoch, in order (one or more steps). Batch tensors are freed afterwards. */
  trainEpoch(rng: Rng, step: (batch: Batch) => void): void;
  /** The data to report training metrics on at the start of an epoch (sampled data: the epoch's own batch). */
  trainEval(rng: Rng): DeviceData;
  /** The test set, when there is one. */
  readonly test: DeviceData | null;
  dispose(): void;
}

/**
 * Builds the data source of a run; tensors for fixed sets are made here, once.
 *
 * @example
 * const source = createDataSource({ train, test }, task.info, null); // full batch
 * source.trainEpoch(rng, (batch) => step(batch));
 */
export function createDataSource(data: TrainData, info: TaskInfo, batchSize: number | null): DataSource {
  const test = data.test ? toDevice(data.test, info, 'test') : null;
  if ('sample' in data) {
    let pending: DeviceData | null = null;
    const next = (rng: Rng): DeviceData => (pending ??= toDevice(data.sample(batchSize!, rng), info, 'sampled batch'));
    return {
      test,
      trainEval: next,
      trainEpoch(rng, step) {
        const batch = next(rng);
        pending = null;
        try {
          step(batch);
        } finally {
          batch.dispose();
        }
      },
      dispose() {
        pending?.dispose();
        test?.dispose();
      },
    };
  }
  let train: DeviceData;
  try {
    train = toDevice(data.train, info, 'train');
  } catch (err) {
    test?.dispose();
    throw err;
  }
  const size = train.size;
  const full = batchSize === null || batchSize >= size;
  return {
    test,
    trainEval: () => train,
    trainEpoch(rng, step) {
      if (full) {
        step(train);
        return;
      }
      const order = rng.shuffle(Int32Array.from({ length: size }, (_, i) => i));
      for (let start = 0; start < size; start += batchSize!) {
        tf.tidy(() => {
          const indices = tf.tensor1d(order.subarray(start, Math.min(start + batchSize!, size)), 'int32'); // [batch]
          step(gatherBatch(train, indices));
        });
      }
    },
    dispose() {
      train.dispose();
      test?.dispose();
    },
  };
}
