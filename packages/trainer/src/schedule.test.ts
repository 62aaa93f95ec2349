import { learningRateAt, warmupFactor } from './schedule';

describe('warm-up schedule', () => {
  it('matches LambdaLR(lambda step: min(step / 10, 1)) stepped after each optimiser step', () => {
    // PyTorch evaluates the lambda at 0 on construction, then at 1, 2, ... after each step.
    const expected = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1, 1];
    expect(expected.map((_, t) => warmupFactor(t, 10))).toEqual(expected.map((f, t) => (t <= 10 ? t / 10 : f)));
    expect(learningRateAt(5, 1e-3, 10)).toBeCloseTo(5e-4, 15);
    expect(learningRateAt(1000, 1e-3, 10)).toBe(1e-3);
  });

  it('has no warm-up when warmupSteps is 0', () => {
    expect(warmupFactor(0, 0)).toBe(1);
    expect(learningRateAt(0, 0.3, 0)).toBe(0.3);
  });

  it('rejects bad steps, naming the value', () => {
    expect(() => warmupFactor(-1, 10)).toThrow('step must be a non-negative integer, got -1');
    expect(() => warmupFactor(1, 2.5)).toThrow('warmupSteps must be a non-negative integer, got 2.5');
  });
});
