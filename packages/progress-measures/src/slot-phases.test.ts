// slotPhaseChanges against curves with planted logistic drops at known epochs, and the curves read off a series.
import { slotLossCurves, slotPhaseChanges, targetLossCurves } from './slot-phases';
import type { MeasureSeries } from './series';
import type { CheckpointMeasures } from './types';

/** σ((t - t0)/w). */
const sigmoid = (t: number, t0: number, w: number) => 1 / (1 + Math.exp(-(t - t0) / w));
/** A loss moving from a to b geometrically (a logistic step in log-loss) centred at t0 with width w. */
const step = (t: number, a: number, b: number, t0: number, w: number) => Math.exp(Math.log(a) + (Math.log(b) - Math.log(a)) * sigmoid(t, t0, w));
/** For log-loss a - Δσ((t - t0)/w) the slope is 0.1 of its peak at |t - t0| = K·w (as in phases.test.ts). */
const K = -Math.log((1 - Math.sqrt(0.9)) / 2 / (1 - (1 - Math.sqrt(0.9)) / 2));

const epochs = Array.from({ length: 301 }, (_, i) => i * 10); // 0..3000 every 10

describe('slotPhaseChanges', () => {
  // Six digits with drops planted at known epochs (not in slot order), and a flat one.
  const planted = [700, 400, 2200, 1500, 1000, 2600];
  const curves = {
    epochs,
    names: [...planted.map((_, k) => `digit ${k}`), 'flat'],
    losses: [...planted.map((t0) => epochs.map((t) => step(t, 2.3, 1e-4, t0, 40))), epochs.map(() => 2.3)],
  };

  it('gives each planted drop at its epoch, its closed-form span, and the order of the drops', () => {
    const { slots, order } = slotPhaseChanges(curves);
    expect(slots).toHaveLength(7);
    planted.forEach((t0, k) => {
      expect(slots[k]!.name).toBe(`digit ${k}`);
      expect(slots[k]!.epoch).toBe(t0);
      expect(Math.abs(slots[k]!.span!.start - (t0 - K * 40))).toBeLessThanOrEqual(2);
      expect(Math.abs(slots[k]!.span!.end - (t0 + K * 40))).toBeLessThanOrEqual(2);
      expect(slots[k]!.fall!).toBeGreaterThan(1000); // 2.3 → 1e-4 is 23000x; the span holds nearly all of it
    });
    expect(order).toEqual(['digit 1', 'digit 0', 'digit 4', 'digit 3', 'digit 2', 'digit 5']);
    expect(slots[6]).toEqual({ name: 'flat', epoch: null, span: null, fall: null });
  });

  it('finds a drop between evaluations within one evaluation, and ignores drops smaller than minFall and rises', () => {
    const { slots, order } = slotPhaseChanges({
      epochs,
      names: ['off-grid', 'small', 'rise', 'zero'],
      losses: [
        epochs.map((t) => step(t, 2.3, 1e-3, 1234, 50)),
        epochs.map((t) => step(t, 2.3, 0.5, 800, 40)), // 4.6x < 10x
        epochs.map((t) => step(t, 0.1, 2.3, 800, 40)),
        epochs.map((t) => (t < 1200 ? 2.3 : 0)), // a loss of exactly 0 reads as 1e-38: a fall at the step
      ],
    });
    expect(Math.abs(slots[0]!.epoch! - 1234)).toBeLessThanOrEqual(10);
    expect(slots[1]!.epoch).toBeNull();
    expect(slots[2]!.epoch).toBeNull();
    expect([1190, 1200]).toContain(slots[3]!.epoch);
    expect(order).toEqual(['zero', 'off-grid']);
    expect(slotPhaseChanges({ epochs, names: ['small'], losses: [epochs.map((t) => step(t, 2.3, 0.5, 800, 40))] }, { minFall: 4 }).slots[0]!.epoch).toBe(800);
  });

  it('with smoothing, ignores a one-evaluation slingshot spike that would pass for the steepest fall', () => {
    const spiky = epochs.map((t) => step(t, 2.3, 1e-3, 1500, 40) * (t === 500 ? 1e4 : 1));
    expect(slotPhaseChanges({ epochs, names: ['d'], losses: [spiky] }).slots[0]!.epoch).toBe(510); // the spike's fall
    expect(slotPhaseChanges({ epochs, names: ['d'], losses: [spiky] }, { smoothing: 5 }).slots[0]!.epoch).toBe(1500);
  });

  it('on a linear scale, finds a drop that jitter at small losses hides on a log scale', () => {
    // A drop at 800 to 0.01, then the loss jumps 5x up and down every evaluation from 1500 on, as the per-digit losses
    // of an infinite-data run do: on log(loss) each jump (log 5 per 10 epochs) is steeper than the drop itself.
    const jittery = epochs.map((t) => step(t, 2.3, 0.01, 800, 40) * (t >= 1500 && (t / 10) % 2 === 1 ? 5 : 1));
    const onLog = slotPhaseChanges({ epochs, names: ['d'], losses: [jittery] }).slots[0]!;
    expect(onLog.epoch === null || onLog.epoch >= 1500).toBe(true);
    const onLinear = slotPhaseChanges({ epochs, names: ['d'], losses: [jittery] }, { scale: 'linear' }).slots[0]!;
    expect(Math.abs(onLinear.epoch! - 800)).toBeLessThanOrEqual(80); // the steepest fall of the loss itself comes a little before t0
    expect(onLinear.span!.start).toBeLessThan(onLinear.epoch!);
    expect(onLinear.span!.end).toBeGreaterThan(onLinear.epoch!);
    expect(onLinear.fall!).toBeGreaterThanOrEqual(10);
    // A flat curve with the same jitter has no phase change on either scale.
    const flat = epochs.map((t) => 0.01 * ((t / 10) % 2 === 1 ? 5 : 1));
    expect(slotPhaseChanges({ epochs, names: ['f'], losses: [flat] }, { scale: 'linear' }).slots[0]!.epoch).toBeNull();
  });

  it('names bad input', () => {
    expect(() => slotPhaseChanges(curves, { scale: 'ln' as never })).toThrow(/scale must be 'log' or 'linear', got ln/);
    expect(() => slotPhaseChanges({ epochs: [0, 1], names: [], losses: [] })).toThrow(/at least 3 evaluations, got 2/);
    expect(() => slotPhaseChanges({ epochs: [0, 2, 1], names: [], losses: [] })).toThrow(/epochs must increase, got 2 then 1/);
    expect(() => slotPhaseChanges({ epochs: [0, 1, 2], names: ['a'], losses: [[1, 2]] })).toThrow(/losses of a must have one value per epoch \(3\), got 2/);
    expect(() => slotPhaseChanges({ epochs: [0, 1, 2], names: ['a'], losses: [[1, -2, 1]] })).toThrow(/loss of a at epoch 1 must be a finite loss >= 0, got -2/);
    expect(() => slotPhaseChanges({ epochs: [0, 1, 2], names: ['a', 'b'], losses: [[1, 1, 1]] })).toThrow(/names \(2\) and losses \(1\)/);
    expect(() => slotPhaseChanges(curves, { minFall: 1 })).toThrow(/minFall must be greater than 1, got 1/);
    expect(() => slotPhaseChanges(curves, { smoothing: 2 })).toThrow(/smoothing must be an odd integer >= 1, got 2/);
  });
});

describe('slotLossCurves and targetLossCurves', () => {
  const point = (epoch: number, digit: number[], target: Record<string, number>): CheckpointMeasures => ({
    epoch,
    keyFrequencies: null,
    slotLoss: { names: ['digit 0', 'digit 1'], train: null, test: digit, trainAccuracy: null, testAccuracy: null },
    targetLoss: { train: null, test: target },
  });
  const series: MeasureSeries = {
    keyFrequencies: null,
    points: [point(0, [1, 2], { '10': 3, '11': 4 }), point(10, [0.5, 1.5], { '10': 2, '11': 3, '12': 1 }), point(20, [0.1, 1], { '11': 2, '12': 1, '10': 1 })],
  };

  it('reads one curve per slot and per target measured at every point', () => {
    expect(slotLossCurves(series, 'test')).toEqual({ epochs: [0, 10, 20], names: ['digit 0', 'digit 1'], losses: [[1, 0.5, 0.1], [2, 1.5, 1]] });
    expect(targetLossCurves(series, 'test')).toEqual({ epochs: [0, 10, 20], names: ['10', '11'], losses: [[3, 2, 1], [4, 3, 2]] });
  });

  it('names a missing set', () => {
    expect(() => slotLossCurves(series, 'train')).toThrow(/the point at epoch 0 has no train slot loss; measure 'slotLoss' with a fixed train set/);
    expect(() => targetLossCurves(series, 'train')).toThrow(/the point at epoch 0 has no train target loss/);
  });
});
