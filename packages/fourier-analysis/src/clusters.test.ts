// Neuron clustering and key frequencies on hand-written variance fractions.
import { neuronClusters, keyFrequenciesFromClusters, defaultMinNeurons } from './clusters';

describe('neuronClusters', () => {
  // fractions[neuron][k - 1] for p = 7 (frequencies 1..3)
  const fractions = [
    [0.9, 0.05, 0.0], // freq 1
    [0.0, 0.1, 0.86], // freq 3 (the last frequency counts too)
    [0.84, 0.1, 0.0], // just under the cut: unclustered
    [0.0, 0.85, 0.0], // exactly at the cut: freq 2
    [0.3, 0.3, 0.3], // unclustered
    [0.99, 0.0, 0.0], // freq 1
  ];

  it("groups neurons by their best frequency at the write-up's 0.85 cut and keeps the rest as unclustered", () => {
    const result = neuronClusters(fractions);
    expect(result.clusters).toEqual([
      { freq: 1, neurons: [0, 5] },
      { freq: 2, neurons: [3] },
      { freq: 3, neurons: [1] },
    ]);
    expect(result.unclustered).toEqual([2, 4]);
    expect(result.threshold).toBe(0.85);
  });

  it('takes another threshold and rejects one outside (0, 1]', () => {
    expect(neuronClusters(fractions, { threshold: 0.3 }).unclustered).toEqual([]);
    expect(() => neuronClusters(fractions, { threshold: 1.5 })).toThrow('threshold must be in (0, 1], got 1.5');
  });

  it('calls a frequency key when its cluster has at least minNeurons neurons', () => {
    const result = neuronClusters(fractions);
    expect(keyFrequenciesFromClusters(result)).toEqual([1, 2, 3]);
    expect(keyFrequenciesFromClusters(result, { minNeurons: 2 })).toEqual([1]);
    expect(() => keyFrequenciesFromClusters(result, { minNeurons: 0 })).toThrow('minNeurons must be an integer >= 1, got 0');
  });

  it('defaults minNeurons to 1% of the neurons, at least one', () => {
    expect(defaultMinNeurons(512)).toBe(6);
    expect(defaultMinNeurons(100)).toBe(1);
    expect(defaultMinNeurons(101)).toBe(2);
    expect(defaultMinNeurons(3)).toBe(1);
  });
});
