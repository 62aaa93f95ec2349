import { GROKKED_TEST_ACCURACY, grokEpoch, grokStop, isGrokked } from './grokked';

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
