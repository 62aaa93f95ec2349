// Modular arithmetic mod p, the write-up's main task: input `x y =` (the `=` token is p), label (x op y) mod p,
// scored at the `=` position.
import { allocateDataset } from './dataset';
import { resolveOperation, type ModularOperation } from './modular-operations';
import { createRng, type Rng } from './random';
import type { Split, SplitOptions, Task } from './task';
import type { Dataset, TaskInfo } from './types';
import { checkFraction, checkInteger, checkKeys, checkSplitOptions } from './validate';

/** The largest modulus: pair indices (up to p²) must fit an Int32Array. */
const maxP = 46340;

/** Options of {@link modularArithmetic}. */
export interface ModularOptions {
  /** The modulus, an integer in [2, 46340]; prime for division. Default 113, as in the write-up. */
  p?: number;
  /** The operation; default `'add'`. */
  operation?: ModularOperation;
}

/** A modular split: the two sets, and which pairs of {@link ModularTask.all}'s ordering each holds. */
export interface ModularSplit extends Split {
  /** Row i of `train` is pair `trainIndices[i]` of `all()`, [trainSize]. */
  trainIndices: Int32Array;
  /** Row i of `test` is pair `testIndices[i]` of `all()`, [pairCount - trainSize]. */
  testIndices: Int32Array;
}

/** A modular arithmetic task, whose universe of pairs is small enough to enumerate. */
export interface ModularTask extends Task {
  /** The modulus. */
  readonly p: number;
  /** The number of valid pairs: p² (p(p-1) for division, which excludes y = 0). */
  readonly pairCount: number;
  /**
   * Every valid pair in row-major order (x major, y minor): pair `x·p + y`, or for division (y = 0 excluded)
   * pair `x·(p-1) + (y-1)`. See {@link ModularTask.pairIndex}.
   */
  all(): Dataset;
  /** The x and y of every pair of `all()`, each [pairCount]. */
  pairs(): { x: Int32Array; y: Int32Array };
  /** The index in `all()` of the pair (x, y), or -1 for a pair the task excludes (y = 0 in division). */
  pairIndex(x: number, y: number): number;
  /**
   * Shuffles the indices 0..pairCount-1 with `createRng(seed)` (Fisher-Yates, `rng.shuffle`); the first
   * `trainSizeFor(pairCount, trainFraction)` (= floor(pairCount · trainFraction)) are train, the rest test.
   * trainFraction defaults to 0.3 (3830 of 12769 pairs for p = 113); 1 gives an empty test set.
   */
  split(options: SplitOptions): ModularSplit;
}

/**
 * The number of training pairs for a fraction: floor(count · fraction), as the write-up's code (`int(frac * n)`)
 * computes it, except that a product a hair below an integer through float rounding (0.57 · 100 =
 * 56.99999999999999) counts as that integer (57).
 *
 * @example
 * trainSizeFor(113 * 113, 0.3); // 3830 (12769 · 0.3 = 3830.7)
 */
export function trainSizeFor(count: number, fraction: number): number {
  return Math.floor(count * fraction * (1 + 2 ** -40));
}

/**
 * Modular arithmetic mod p: input tokens `[x, y, p]` (p is the `=` token), target (x op y) mod p at position 2.
 * dVocab p+1, dVocabOut p, nCtx 3.
 *
 * @example
 * const task = modularArithmetic({ p: 113, operation: 'add' });
 * const { train, test, trainIndices } = task.split({ trainFraction: 0.3, seed: 0 });
 * train.size; // 3830
 * test.size; // 8939
 * const all = task.all();
 * all.targets[task.pairIndex(100, 20)]; // 7 = (100 + 20) mod 113
 */
export function modularArithmetic(options: ModularOptions = {}): ModularTask {
  checkKeys('modularArithmetic options', options, ['p', 'operation']);
  const p = checkInteger('p', options.p ?? 113, 2, maxP);
  const op = resolveOperation(options.operation ?? 'add', p);
  const yOffset = op.excludesZeroY ? 1 : 0;
  const width = p - yOffset; // valid y values per x
  const pairCount = p * width;
  const digitNames = Array.from({ length: p }, (_, i) => String(i));
  const info: TaskInfo = {
    name: op.name,
    dVocab: p + 1,
    dVocabOut: p,
    nCtx: 3,
    nScored: 1,
    fixedPositions: [2],
    tokenNames: [...digitNames, '='],
    outputNames: digitNames,
    slotNames: [`${op.formula} mod ${p}`],
  };

  // Writes pair `index` of the row-major ordering as example `row`.
  const writePair = (dataset: Dataset, row: number, index: number) => {
    const x = Math.floor(index / width);
    const y = (index % width) + yOffset;
    dataset.tokens[row * 3] = x;
    dataset.tokens[row * 3 + 1] = y;
    dataset.tokens[row * 3 + 2] = p;
    dataset.positions[row] = 2;
    dataset.targets[row] = op.label(x, y);
  };
  const fromIndices = (indices: Int32Array): Dataset => {
    const dataset = allocateDataset(indices.length, info);
    for (let row = 0; row < indices.length; row++) writePair(dataset, row, indices[row]!);
    return dataset;
  };
  const all = () => fromIndices(Int32Array.from({ length: pairCount }, (_, i) => i));

  return {
    info,
    p,
    pairCount,
    all,
    pairs() {
      const x = new Int32Array(pairCount); // [pairCount]
      const y = new Int32Array(pairCount); // [pairCount]
      for (let i = 0; i < pairCount; i++) {
        x[i] = Math.floor(i / width);
        y[i] = (i % width) + yOffset;
      }
      return { x, y };
    },
    pairIndex(x, y) {
      checkInteger('x', x, 0, p - 1);
      checkInteger('y', y, 0, p - 1);
      return y < yOffset ? -1 : x * width + (y - yOffset);
    },
    split(splitOptions) {
      const seed = checkSplitOptions(`${info.name} split options`, splitOptions, ['seed', 'trainFraction']);
      const trainFraction = checkFraction('trainFraction', splitOptions.trainFraction ?? 0.3);
      const rng = createRng(seed);
      const order = rng.shuffle(Int32Array.from({ length: pairCount }, (_, i) => i));
      const trainSize = trainSizeFor(pairCount, trainFraction);
      if (trainSize === 0) {
        throw new Error(`trainFraction ${trainFraction} of ${pairCount} pairs gives no training pairs; use a larger one`);
      }
      const trainIndices = order.slice(0, trainSize);
      const testIndices = order.slice(trainSize);
      return { train: fromIndices(trainIndices), test: fromIndices(testIndices), trainIndices, testIndices };
    },
    sample(count: number, rng: Rng) {
      checkInteger('count', count, 0);
      const dataset = allocateDataset(count, info);
      for (let row = 0; row < count; row++) writePair(dataset, row, rng.int(pairCount));
      return dataset;
    },
  };
}
