// Watching for NaN and Inf without reading back to JS every epoch. Each step folds two checks into scalar variables
// on the backend: the first epoch whose training loss was non-finite, and the first epoch whose update left a
// non-finite weight (sum(w * 0) is 0 for finite weights and NaN otherwise, one cheap reduction per parameter). The
// trainer reads the two scalars back every few epochs and before anything is written, so the epoch it reports is
// always the first bad one, however rarely it looks.
import * as tf from '@tensorflow/tfjs-core';

/** The first non-finite value seen: in the loss of an epoch's step, or in the weights after an epoch's update. */
export interface NonFinite {
  epoch: number;
  what: 'loss' | 'weights';
}

/**
 * A run stopped because the loss or the weights became NaN or Inf.
 *
 * @example
 * try { await train(options); } catch (err) { if (err instanceof NonFiniteError) console.log(err.epoch, err.what); }
 */
export class NonFiniteError extends Error {
  override name = 'NonFiniteError';
  constructor(
    message: string,
    /** The first bad epoch. */
    readonly epoch: number,
    /** Where it showed first. */
    readonly what: 'loss' | 'weights',
    /** Parameters holding NaN or Inf when the run stopped. */
    readonly badParams: string[],
  ) {
    super(message);
  }
}

/**
 * The error for a run that went non-finite, with a message naming the epoch and the parameters affected.
 *
 * @example
 * throw nonFiniteError({ epoch: 1234, what: 'loss' }, ['unembed.W_U']);
 * // NonFiniteError: training loss became NaN or Inf at epoch 1234 (non-finite parameters: unembed.W_U); ...
 */
export function nonFiniteError(bad: NonFinite, badParams: string[]): NonFiniteError {
  const where = bad.what === 'loss'
    ? `training loss became NaN or Inf at epoch ${bad.epoch}`
    : `weights became NaN or Inf in the update of epoch ${bad.epoch}`;
  const params = badParams.length ? ` (non-finite parameters: ${badParams.join(', ')})` : '';
  return new NonFiniteError(`${where}${params}; the run stopped and checkpoints already written are intact`, bad.epoch, bad.what, badParams);
}

/** Backend-side record of the first non-finite loss and weights. */
export interface FiniteWatch {
  /** Folds one step's loss and the weights after its update into the record; call inside the step's tidy. */
  record(epoch: number, loss: tf.Scalar): void;
  /** Reads the record back: the first bad epoch, or null when all was finite. */
  firstBad(): Promise<NonFinite | null>;
  dispose(): void;
}

/**
 * Creates a watch over the given parameters.
 *
 * @example
 * const watch = createFiniteWatch(model.params);
 * tf.tidy(() => { const loss = step(); watch.record(epoch, loss); });
 * const bad = await watch.firstBad(); // { epoch: 1234, what: 'loss' } or null
 */
export function createFiniteWatch(params: Readonly<Record<string, tf.Variable>>): FiniteWatch {
  const vars = Object.values(params);
  const [badLoss, badWeights] = tf.tidy(() => [tf.variable(tf.scalar(Infinity), false), tf.variable(tf.scalar(Infinity), false)]);
  return {
    record(epoch, loss) {
      tf.tidy(() => {
        const e = tf.scalar(epoch);
        const inf = tf.scalar(Infinity);
        // 0, or NaN if any weight is NaN/Inf. Added one by one: tfjs-webgpu's AddN binds every input at once and fails
        // past 8 storage buffers.
        const weightsProbe = vars.reduce<tf.Tensor>((acc, v) => tf.add(acc, tf.sum(tf.mul(v, 0))), tf.scalar(0));
        badLoss!.assign(tf.minimum(badLoss!, tf.where(tf.isFinite(loss), inf, e)));
        badWeights!.assign(tf.minimum(badWeights!, tf.where(tf.isFinite(weightsProbe), inf, e)));
      });
    },
    async firstBad() {
      const [l, w] = await Promise.all([badLoss!.data(), badWeights!.data()]);
      const lossEpoch = l[0]!;
      const weightEpoch = w[0]!;
      if (lossEpoch === Infinity && weightEpoch === Infinity) return null;
      // An epoch's loss is computed before its update, so at the same epoch the loss came first.
      return lossEpoch <= weightEpoch ? { epoch: lossEpoch, what: 'loss' } : { epoch: weightEpoch, what: 'weights' };
    },
    dispose() {
      tf.dispose([badLoss!, badWeights!]);
    },
  };
}

/**
 * Names of the parameters holding NaN or Inf (reads every parameter back; for error messages and checkpoint guards).
 *
 * @example
 * await nonFiniteParams(model.params); // ['blocks.0.mlp.W_in']
 */
export async function nonFiniteParams(params: Readonly<Record<string, tf.Variable>>): Promise<string[]> {
  const names = Object.keys(params).sort();
  const flags = tf.tidy(() => names.map((n) => tf.all(tf.isFinite(params[n]!)))); // one bool scalar per parameter
  const values = await Promise.all(flags.map((f) => f.data()));
  tf.dispose(flags);
  return names.filter((_, i) => values[i]![0] !== 1);
}
