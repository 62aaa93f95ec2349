// The crossover bisection against known thresholds: it must bracket the true crossover within the tolerance, with
// the expected probes, and handle a range with no crossover at either end.
import { bisect } from './bisect';

describe('bisect', () => {
  it('brackets a fraction threshold within the tolerance', async () => {
    const threshold = 0.37;
    const r = await bisect(async (f) => f >= threshold, { low: 0.1, high: 0.9, tolerance: 0.05, integer: false });
    expect(r.below).toBeLessThan(threshold);
    expect(r.above).toBeGreaterThanOrEqual(threshold);
    expect(r.above! - r.below!).toBeCloseTo(0.05, 12);
    expect(r.probes.map((p) => p.value)).toEqual([0.9, 0.1, 0.5, 0.3, 0.4, 0.35]);
    expect(r.probes.map((p) => p.grokked)).toEqual([true, false, true, false, true, false]);
  });

  it('brackets an integer size to adjacent sizes with tolerance 1', async () => {
    for (const threshold of [17, 100, 1000, 4095]) {
      const r = await bisect(async (n) => n >= threshold, { low: 16, high: 4096, tolerance: 1, integer: true });
      expect([r.below, r.above]).toEqual([threshold - 1, threshold]);
      for (const p of r.probes) expect(Number.isInteger(p.value)).toBe(true);
      expect(r.probes.length).toBeLessThanOrEqual(2 + Math.ceil(Math.log2(4096 - 16)));
    }
  });

  it('reports no crossover in range at either end after one or two probes', async () => {
    expect(await bisect(async () => false, { low: 0.1, high: 0.9, tolerance: 0.05, integer: false }))
      .toEqual({ below: 0.9, above: null, probes: [{ value: 0.9, grokked: false }] });
    expect(await bisect(async () => true, { low: 0.1, high: 0.9, tolerance: 0.05, integer: false }))
      .toEqual({ below: null, above: 0.1, probes: [{ value: 0.9, grokked: true }, { value: 0.1, grokked: true }] });
  });

  it('refuses an empty range or a tolerance that is not positive', async () => {
    await expect(bisect(async () => true, { low: 0.5, high: 0.5, tolerance: 0.1, integer: false })).rejects.toThrow(/low < high, got low 0.5 and high 0.5/);
    await expect(bisect(async () => true, { low: 0.1, high: 0.5, tolerance: 0, integer: false })).rejects.toThrow(/tolerance must be positive, got 0/);
  });
});
