// inductionFormation against planted logistic rises of a score at known epochs, a flat score and bad input.
import { inductionFormation } from './induction-formation';

const epochs = Array.from({ length: 61 }, (_, i) => i * 50); // 0..3000 every 50
/** A score rising from a to b along σ((t - t0)/w). */
const rise = (a: number, b: number, t0: number, w: number) => epochs.map((t) => a + (b - a) / (1 + Math.exp(-(t - t0) / w)));

describe('inductionFormation', () => {
  it('finds a planted rise at its epoch, with a span around it, on a linear scale', () => {
    const formed = inductionFormation(epochs, rise(0.18, 0.92, 800, 120))!;
    expect(Math.abs(formed.epoch! - 800)).toBeLessThanOrEqual(50);
    expect(formed.span!.start).toBeLessThan(800);
    expect(formed.span!.end).toBeGreaterThan(800);
    expect(formed.fall!).toBeGreaterThanOrEqual(3);
  });

  it('is not moved by an early wobble of a few hundredths', () => {
    const scores = rise(0.18, 0.92, 1500, 150).map((s, i) => s + (i === 1 ? 0.03 : 0));
    expect(Math.abs(inductionFormation(epochs, scores)!.epoch! - 1500)).toBeLessThanOrEqual(50);
  });

  it('says null when the score stays near uniform or rises too little', () => {
    expect(inductionFormation(epochs, epochs.map(() => 0.18))).toBeNull();
    expect(inductionFormation(epochs, rise(0.18, 0.4, 800, 120))).toBeNull(); // 1 - score: 0.82 -> 0.6, under 3x
  });

  it('names bad input', () => {
    expect(() => inductionFormation([0, 1, 2], [0.1, 1.2, 0.3])).toThrow(/scores\[1\] must be an attention score in \[0, 1\], got 1.2/);
    expect(() => inductionFormation([0, 1], [0.1, 0.2])).toThrow(/at least 3 evaluations, got 2/);
  });
});
