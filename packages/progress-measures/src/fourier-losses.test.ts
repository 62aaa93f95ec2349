import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { modularArithmetic } from '@grokking/tasks';
import { excludedLoss, restrictedLoss } from './fourier-losses';
import { cosW, expectClose, noLeak, referenceMeanLoss } from './test-fixtures';

// A shared 2-core machine can be slow; these budgets are generous, not timings.
jest.setTimeout(60_000);

beforeAll(async () => {
  await readyBackend('cpu');
});

/** A [p*p, p] table (x-major rows, output z last) of f(x, y, z). */
function table(p: number, f: (x: number, y: number, z: number) => number): Float64Array {
  const values = new Float64Array(p * p * p);
  for (let x = 0; x < p; x++) for (let y = 0; y < p; y++) for (let z = 0; z < p; z++) values[(x * p + y) * p + z] = f(x, y, z);
  return values;
}

function setup(p: number) {
  const task = modularArithmetic({ p });
  const { trainIndices, testIndices } = task.split({ trainFraction: 0.3, seed: 0 });
  return { p, targets: task.all().targets, trainIndices, testIndices };
}

describe('logits built exactly as Σ_w α cos(w(x+y-z))', () => {
  const s = setup(31);
  const { p } = s;
  const alpha = 3;
  const keys = [3, 7];
  const trig = (x: number, y: number, z: number) => keys.reduce((sum, w) => sum + alpha * cosW(p, w, x + y - z), 0);

  it('restricted loss equals the full loss, on train and test', async () => {
    const values = table(p, trig);
    const logits = tf.tensor2d(Float32Array.from(values), [p * p, p]);
    const got = await noLeak(() => restrictedLoss({ ...s, logits }, keys));
    expectClose(got.train, referenceMeanLoss(values, p, s.trainIndices, s.targets));
    expectClose(got.test!, referenceMeanLoss(values, p, s.testIndices, s.targets));
    logits.dispose();
  });

  it('excluded loss is log p with every key frequency removed, and the other term alone\'s loss with one removed', async () => {
    const values = table(p, trig);
    const logits = tf.tensor2d(Float32Array.from(values), [p * p, p]);
    const got = await noLeak(() => excludedLoss({ ...s, logits }, keys));
    expectClose(got.all, Math.log(p), 1e-4); // uniform logits: far above the full loss
    expect(got.all).toBeGreaterThan(3 * referenceMeanLoss(values, p, s.trainIndices, s.targets));
    expect(Object.keys(got.byFrequency)).toEqual(['3', '7']);
    const only7 = table(p, (x, y, z) => alpha * cosW(p, 7, x + y - z));
    const only3 = table(p, (x, y, z) => alpha * cosW(p, 3, x + y - z));
    expectClose(got.byFrequency['3']!, referenceMeanLoss(only7, p, s.trainIndices, s.targets));
    expectClose(got.byFrequency['7']!, referenceMeanLoss(only3, p, s.trainIndices, s.targets));
    logits.dispose();
  });

  it('keeps a per-output bias in the restricted logits (their mean over inputs) and in the excluded ones', async () => {
    const bias = (z: number) => 0.8 * Math.sin(z) + 0.05 * z;
    const values = table(p, (x, y, z) => trig(x, y, z) + bias(z));
    const logits = tf.tensor3d(Float32Array.from(values), [p, p, p]); // the [p, p, d_vocab_out] layout
    const restricted = await restrictedLoss({ ...s, logits }, keys);
    expectClose(restricted.train, referenceMeanLoss(values, p, s.trainIndices, s.targets));
    const excluded = await excludedLoss({ ...s, logits }, keys);
    expectClose(excluded.all, referenceMeanLoss(table(p, (_x, _y, z) => bias(z)), p, s.trainIndices, s.targets), 1e-4);
    logits.dispose();
  });

  it('handles the Nyquist frequency of even p (a cosine only)', async () => {
    const e = setup(12);
    const values = table(12, (x, y, z) => 4 * cosW(12, 6, x + y - z) + 2 * cosW(12, 1, x + y - z));
    const logits = tf.tensor2d(Float32Array.from(values), [144, 12]);
    expectClose((await restrictedLoss({ ...e, logits }, [1, 6])).train, referenceMeanLoss(values, 12, e.trainIndices, e.targets));
    expectClose((await excludedLoss({ ...e, logits }, [1, 6])).all, Math.log(12), 1e-4);
    logits.dispose();
  });
});

describe('a memorising lookup table', () => {
  // The logit of the right answer is c on train inputs; on test inputs it is pushed down (as memorisation does),
  // by just enough that each answer z's logits sum to zero over the inputs with x + y = z. A column supported on
  // {x + y = z} with zero sum is orthogonal to every function of x + y, so no x+y direction of any frequency is used.
  const s = setup(31);
  const { p } = s;
  const c = 8;
  const isTrain = new Uint8Array(p * p);
  s.trainIndices.forEach((i) => (isTrain[i] = 1));
  const nTrain = new Array<number>(p).fill(0);
  const nTest = new Array<number>(p).fill(0);
  s.targets.forEach((z, i) => {
    if (isTrain[i]) nTrain[z] = nTrain[z]! + 1;
    else nTest[z] = nTest[z]! + 1;
  });
  const values = table(p, (x, y, z) => {
    if ((x + y) % p !== z) return 0;
    return isTrain[x * p + y] ? c : (-c * nTrain[z]!) / nTest[z]!;
  });
  const trainLoss = Math.log(Math.exp(c) + p - 1) - c;

  it('has an excluded loss equal to its train loss, for any frequencies', async () => {
    expect(Math.min(...nTest)).toBeGreaterThan(0);
    expectClose(referenceMeanLoss(values, p, s.trainIndices, s.targets), trainLoss, 1e-12);
    const logits = tf.tensor2d(Float32Array.from(values), [p * p, p]);
    const got = await noLeak(() => excludedLoss({ ...s, logits }, [3, 7, 11]));
    expectClose(got.all, trainLoss);
    for (const w of ['3', '7', '11']) expectClose(got.byFrequency[w]!, trainLoss);
    logits.dispose();
  });

  it('has a restricted loss of log p: nothing is left but zero means', async () => {
    const logits = tf.tensor2d(Float32Array.from(values), [p * p, p]);
    const got = await restrictedLoss({ ...s, logits }, [3, 7, 11]);
    expectClose(got.train, Math.log(p), 1e-5);
    expectClose(got.test!, Math.log(p), 1e-5);
    logits.dispose();
  });
});

describe('input checks', () => {
  const s = setup(13);
  it('names bad logits, frequencies and indices', async () => {
    const logits = tf.zeros([169, 13]);
    const short = tf.zeros([168, 13]);
    await expect(excludedLoss({ ...s, logits: short }, [1])).rejects.toThrow(
      'logits must have shape [p*p, d_vocab_out] or [p, p, d_vocab_out] with p = 13, got [168, 13]',
    );
    await expect(excludedLoss({ ...s, logits }, [7])).rejects.toThrow('frequency must be an integer in 1..6 for p = 13, got 7');
    await expect(restrictedLoss({ ...s, logits, trainIndices: [0, 169] }, [1])).rejects.toThrow('trainIndices[1] must be an integer in [0, 168], got 169');
    await expect(restrictedLoss({ ...s, logits, targets: new Int32Array(3) }, [1])).rejects.toThrow('targets must have p*p = 169 entries');
    tf.dispose([logits, short]);
  });

  it('with no key frequencies: excluded loss is the train loss, restricted logits are the means', async () => {
    const values = table(13, (x, y, z) => ((x * 7 + y * 3 + z * 5) % 13) / 4);
    const logits = tf.tensor2d(Float32Array.from(values), [169, 13]);
    const excluded = await excludedLoss({ ...s, logits }, []);
    expectClose(excluded.all, referenceMeanLoss(values, 13, s.trainIndices, s.targets));
    expect(excluded.byFrequency).toEqual({});
    const means = new Float64Array(13);
    for (let r = 0; r < 169; r++) for (let z = 0; z < 13; z++) means[z] = means[z]! + values[r * 13 + z]! / 169;
    const meanTable = table(13, (_x, _y, z) => means[z]!);
    const restricted = await restrictedLoss({ ...s, logits, testIndices: [] }, []);
    expectClose(restricted.train, referenceMeanLoss(meanTable, 13, s.trainIndices, s.targets));
    expect(restricted.test).toBeNull();
    logits.dispose();
  });
});
