import { lossSpikes } from './loss-spikes';

describe('lossSpikes', () => {
  const epochs = (n: number) => Array.from({ length: n }, (_, i) => i * 10);

  it('finds each rise above 10x the lowest loss so far, once, with its peak', () => {
    const losses = [2, 0.1, 1e-4, 1e-6, 1e-6, 5e-5, 2e-3, 1e-4, 1e-6, 9e-6, 1e-7, 1e-5, 1e-7];
    const spikes = lossSpikes(epochs(losses.length), losses);
    expect(spikes.map((s) => [s.start, s.peak, s.end])).toEqual([[50, 60, 70], [110, 110, 110]]);
    expect(spikes[0]!.peakLoss).toBe(2e-3);
    expect(spikes[0]!.floor).toBe(1e-6);
    expect(spikes[1]!.floor).toBe(1e-7); // the floor moved down between the spikes; 9e-6 stayed under 10x 1e-6
  });

  it('ignores the rises before the run has memorised (the loss never below 1e-3)', () => {
    const losses = [4, 0.5, 3, 0.01, 0.2, 0.002];
    expect(lossSpikes(epochs(losses.length), losses)).toEqual([]);
  });

  it('keeps a spike still going at the end', () => {
    const spikes = lossSpikes([0, 1, 2, 3], [1e-5, 1e-5, 1e-2, 1e-1]);
    expect(spikes).toEqual([{ start: 2, peak: 3, end: 3, peakLoss: 1e-1, floor: 1e-5 }]);
  });

  it('finds nothing in a smoothly falling curve, and honours factor and armedBelow', () => {
    const smooth = epochs(50).map((e) => Math.exp(-e / 20));
    expect(lossSpikes(epochs(50), smooth)).toEqual([]);
    const wobble = [1e-4, 1e-4, 6e-4, 1e-4];
    expect(lossSpikes(epochs(4), wobble)).toEqual([]);
    expect(lossSpikes(epochs(4), wobble, { factor: 5 })).toHaveLength(1);
    expect(lossSpikes(epochs(4), wobble, { armedBelow: 1e-5 })).toEqual([]);
  });

  it('refuses bad input, naming it', () => {
    expect(() => lossSpikes([0, 1], [1])).toThrow(/epochs \(2\) and losses \(1\) must have the same length/);
    expect(() => lossSpikes([0, 0], [1, 1])).toThrow(/epochs must increase, got 0 then 0 at index 1/);
    expect(() => lossSpikes([0, 1], [1, NaN])).toThrow(/losses\[1\] must be a finite non-negative number, got NaN/);
    expect(() => lossSpikes([0], [1], { factor: 1 })).toThrow(/factor must be greater than 1, got 1/);
  });
});
