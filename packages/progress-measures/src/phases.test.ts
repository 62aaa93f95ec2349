import { findPhases, movingMedian, seriesCurves } from './phases';

/** σ((t - t0)/w). */
const sigmoid = (t: number, t0: number, w: number) => 1 / (1 + Math.exp(-(t - t0) / w));
/** A loss moving from a to b (geometrically: a logistic step in log-loss) centred at t0 with width w. */
const step = (t: number, a: number, b: number, t0: number, w: number) => Math.exp(Math.log(a) + (Math.log(b) - Math.log(a)) * sigmoid(t, t0, w));
/** For log-loss a - Δσ((t - t0)/w) the slope is Δσ(1-σ)/w, 0.1 of its peak where σ(1-σ) = 0.025: |t - t0| = K·w. */
const K = -Math.log((1 - Math.sqrt(0.9)) / 2 / (1 - (1 - Math.sqrt(0.9)) / 2));

const epochs = Array.from({ length: 1501 }, (_, i) => i * 10); // 0..15000 every 10

/**
 * A grokking run shaped like the write-up's: train loss falls from log p at epoch 500 (width 60) to 1e-3, and falls
 * again with test loss at cleanup; test loss rises to 30 as the model memorises, then falls to 1e-6 at 10000 (width 400).
 */
function grokking() {
  const trainLoss = epochs.map((t) => step(t, 4.7, 1e-3, 500, 60) * step(t, 1, 1e-4, 10000, 400));
  const testLoss = epochs.map((t) => step(t, 4.7, 30, 500, 60) * step(t, 1, 1e-6 / 30, 10000, 400));
  const restrictedLoss = epochs.map((t) => step(t, 4.7, 1e-5, 9000, 500));
  return { epochs, trainLoss, testLoss, restrictedLoss };
}

describe('findPhases', () => {
  it('finds memorisation, circuit formation and cleanup of a synthetic grokking run at their closed-form epochs', () => {
    const phases = findPhases(grokking());
    expect(phases.detected).toBe(true);
    expect(phases.reason).toBeNull();
    const memorisationEnd = 500 + K * 60; // ≈ 718: train loss levels out
    const cleanupStart = 10000 - K * 400; // ≈ 8545: test loss starts to fall
    const cleanupEnd = 10000 + K * 400; // ≈ 11455: test loss levels out
    expect(phases.memorisation!.start).toBe(0);
    expect(Math.abs(phases.memorisation!.end - memorisationEnd)).toBeLessThanOrEqual(10);
    expect(phases.circuitFormation!.start).toBe(phases.memorisation!.end);
    expect(Math.abs(phases.circuitFormation!.end - cleanupStart)).toBeLessThanOrEqual(10);
    expect(phases.cleanup!.start).toBe(phases.circuitFormation!.end);
    expect(Math.abs(phases.cleanup!.end - cleanupEnd)).toBeLessThanOrEqual(10);
    expect(Math.abs(phases.restrictedLossFall!.start - (9000 - K * 500))).toBeLessThanOrEqual(10);
    expect(Math.abs(phases.restrictedLossFall!.end - (9000 + K * 500))).toBeLessThanOrEqual(10);
  });

  it('reads the write-up\'s seed-run boundaries back from curves built with them', () => {
    // Memorisation to 1.4k, circuit formation to 9.4k, cleanup to 13k (Nanda et al. 2023): steps placed so the
    // rule's boundaries fall there (centre ± K·width).
    const w1 = 1400 / (2 * K);
    const w3 = (13000 - 9400) / (2 * K);
    const trainLoss = epochs.map((t) => step(t, 4.7, 3e-3, 700, w1) * step(t, 1, 1e-4, 11200, w3));
    const testLoss = epochs.map((t) => step(t, 4.7, 20, 700, w1) * step(t, 1, 1e-7 / 20, 11200, w3));
    const phases = findPhases({ epochs, trainLoss, testLoss });
    expect(phases.detected).toBe(true);
    expect(Math.abs(phases.memorisation!.end - 1400)).toBeLessThanOrEqual(20);
    expect(Math.abs(phases.cleanup!.start - 9400)).toBeLessThanOrEqual(20);
    expect(Math.abs(phases.cleanup!.end - 13000)).toBeLessThanOrEqual(20);
  });

  it('detects no grokking when train and test loss fall together', () => {
    const trainLoss = epochs.map((t) => step(t, 4.7, 1e-4, 2000, 150));
    const testLoss = epochs.map((t) => step(t, 4.7, 2e-4, 2000, 150));
    const phases = findPhases({ epochs, trainLoss, testLoss });
    expect(phases).toEqual({
      detected: false,
      reason: 'train loss was not 10x below test loss when test loss began to fall: no memorisation came first',
      memorisation: null,
      circuitFormation: null,
      cleanup: null,
      restrictedLossFall: null,
    });
  });

  it('detects no grokking when the model memorises but test loss never falls', () => {
    const trainLoss = epochs.map((t) => step(t, 4.7, 1e-3, 500, 60));
    const testLoss = epochs.map((t) => step(t, 4.7, 30, 500, 60) * (1 - 0.1 * sigmoid(t, 8000, 800)));
    const phases = findPhases({ epochs, trainLoss, testLoss });
    expect(phases.detected).toBe(false);
    expect(phases.reason).toBe('test loss never falls steeply by 10x: no generalisation');
  });

  it('is thrown off by a slingshot spike unless smoothed, and smoothing leaves the boundaries where they were', () => {
    const run = grokking();
    const clean = findPhases(run);
    const trainLoss = [...run.trainLoss];
    trainLoss[400] = trainLoss[400]! * 1000; // epoch 4000: a one-evaluation spike in the plateau
    const spiked = findPhases({ ...run, trainLoss });
    expect(spiked.memorisation!.end).not.toBe(clean.memorisation!.end); // its recovery looks like the steepest fall
    const smoothed = findPhases({ ...run, trainLoss }, { smoothing: 5 });
    expect(smoothed).toEqual(findPhases(run, { smoothing: 5 }));
    expect(findPhases(run, { smoothing: 5 })).toEqual(clean); // monotone stretches are unchanged by a median
  });

  it('checks its input', () => {
    const run = grokking();
    expect(() => findPhases({ ...run, epochs: [0, 1] })).toThrow('findPhases needs at least 3 evaluations, got 2');
    expect(() => findPhases({ epochs: [0, 2, 1], trainLoss: [1, 1, 1], testLoss: [1, 1, 1] })).toThrow('epochs must increase, got 2 then 1 at index 2');
    expect(() => findPhases({ epochs: [0, 1, 2], trainLoss: [1, 0, 1], testLoss: [1, 1, 1] })).toThrow('trainLoss[1] must be a positive finite loss, got 0');
    expect(() => findPhases({ epochs: [0, 1, 2], trainLoss: [1, 1], testLoss: [1, 1, 1] })).toThrow('trainLoss must have one value per epoch (3), got 2');
    expect(() => findPhases(run, { smoothing: 4 })).toThrow('smoothing must be an odd integer >= 1, got 4');
    expect(() => findPhases(run, { steepness: 1 })).toThrow('steepness must be in (0, 1), got 1');
  });
});

describe('movingMedian', () => {
  it('removes a short spike and leaves a monotone sequence as it is', () => {
    expect(movingMedian([1, 2, 3, 100, 5, 6, 7], 3)).toEqual([1, 2, 3, 5, 6, 6, 7]);
    expect(movingMedian([9, 7, 4, 3, 1], 5)).toEqual([9, 7, 4, 3, 1]);
  });
});

describe('seriesCurves', () => {
  it('reads train, test and restricted loss from measured points', () => {
    const point = (epoch: number, train: number, test: number, restricted: number) => ({
      epoch,
      keyFrequencies: [1],
      loss: { train, test, trainAccuracy: 1, testAccuracy: 0 },
      restrictedLoss: { train: restricted, test: restricted },
    });
    const curves = seriesCurves({ keyFrequencies: [1], points: [point(0, 3, 3, 2), point(10, 1, 4, 1.5)] });
    expect(curves).toEqual({ epochs: [0, 10], trainLoss: [3, 1], testLoss: [3, 4], restrictedLoss: [2, 1.5] });
    expect(() => seriesCurves({ keyFrequencies: null, points: [{ epoch: 5, keyFrequencies: null }] })).toThrow(
      "the point at epoch 5 has no train and test loss; measure 'loss' with a test set",
    );
  });
});
