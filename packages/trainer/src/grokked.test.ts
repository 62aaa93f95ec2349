import { GROKKED_TEST_ACCURACY, cleanupStop, grokEpoch, grokStop, isGrokked } from './grokked';

describe('grokked', () => {
  it('counts an evaluation as grokked from 99.9% test accuracy', () => {
    expect(GROKKED_TEST_ACCURACY).toBe(0.999);
    expect(isGrokked({ testAccuracy: 0.999 })).toBe(true);
    expect(isGrokked({ testAccuracy: 0.9989 })).toBe(false);
    expect(isGrokked({})).toBe(false);
  });

  it('finds the first epoch from which every evaluation stayed grokked', () => {
    const records = [0.01, 0.9995, 0.5, 0.9991, 1, 1].map((testAccuracy, i) => ({ epoch: i * 100, testAccuracy }));
    expect(grokEpoch(records)).toBe(300);
    expect(grokEpoch(records.slice(0, 3))).toBeNull();
    expect(grokEpoch([{ epoch: 0 }])).toBeNull(); // no test set
  });

  it('stops after N consecutive grokked evaluations, counting again after a miss', () => {
    const stop = grokStop(2);
    expect([0.9995, 0.2, 0.9995, 1].map((testAccuracy) => stop({ testAccuracy }))).toEqual([false, false, false, true]);
    const never = grokStop(0);
    expect([1, 1, 1].some((testAccuracy) => never({ testAccuracy }))).toBe(false);
    expect(() => grokStop(-1)).toThrow(/evaluations must be a non-negative integer, got -1/);
  });
});

describe('cleanupStop', () => {
  // Σw² falling as on the seed run: fast through cleanup, slowly after (values at 500-epoch checkpoints, rounded).
  const seed = [[4000, 1576], [4500, 1199], [5000, 1012], [5500, 932], [6000, 901], [6500, 888], [7000, 882], [7500, 879], [8000, 876]];

  it('stops at the first evaluation whose grokked last 1,000 epochs shrank the weights by under 2%', () => {
    const stop = cleanupStop();
    const stops = seed.map(([epoch, ssw]) => stop({ epoch: epoch!, testAccuracy: 1, sumSquaredWeights: ssw }));
    // 6500: 888 vs 932 at 5500 is 4.7%; 7000: 882 vs 901 is 2.1%; 7500: 879 vs 888 is 1.0%.
    expect(stops).toEqual([false, false, false, false, false, false, false, true, true]);
  });

  it('needs the whole window grokked: a miss starts it again', () => {
    const stop = cleanupStop(1000, 0.02);
    expect(stop({ epoch: 0, testAccuracy: 1, sumSquaredWeights: 100 })).toBe(false);
    expect(stop({ epoch: 500, testAccuracy: 0.5, sumSquaredWeights: 100 })).toBe(false);
    expect(stop({ epoch: 1000, testAccuracy: 1, sumSquaredWeights: 100 })).toBe(false); // the window starts at 1000 now
    expect(stop({ epoch: 1500, testAccuracy: 1, sumSquaredWeights: 100 })).toBe(false);
    expect(stop({ epoch: 2000, testAccuracy: 1, sumSquaredWeights: 99.5 })).toBe(true);
  });

  it('never stops without the sum of squared weights or a test set', () => {
    const stop = cleanupStop();
    const records = [0, 1000, 2000, 3000].map((epoch) => ({ epoch, testAccuracy: 1 }));
    expect(records.some((r) => stop(r))).toBe(false);
    const noTest = cleanupStop();
    expect([0, 1000, 2000].some((epoch) => noTest({ epoch, sumSquaredWeights: 1 }))).toBe(false);
  });

  it('refuses a bad window or fall, naming the value', () => {
    expect(() => cleanupStop(0)).toThrow(/window must be a positive integer of epochs, got 0/);
    expect(() => cleanupStop(1000, 1.5)).toThrow(/maxFall must be a fraction between 0 and 1, got 1.5/);
  });
});
