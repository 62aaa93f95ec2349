import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import type { ModularAdditionAnalysis } from '@grokking/fourier-analysis';
import { createTransformer, modularAdditionConfig } from '@grokking/model';
import { circuitPoint, circuitSeries } from './circuit';
import { analyzeModel } from './model-analysis';

/** Just the fields circuitPoint reads, for p = 7. */
function fakeAnalysis(): ModularAdditionAnalysis {
  return {
    p: 7,
    embedding: { norms: { names: [], componentNorms: [], freqNorms: [0.1, 2, 0.3] } },
    neurons: { clusters: { threshold: 0.85, clusters: [{ freq: 2, neurons: [0, 3, 4] }, { freq: 3, neurons: [1] }], unclustered: [2, 5] } },
    logits: { fractionExplainedByFrequency: [0.01, 0.6, 0.3] },
  } as unknown as ModularAdditionAnalysis;
}

describe('circuit over training', () => {
  beforeAll(async () => {
    await readyBackend('cpu');
  });

  it('reads one checkpoint\'s circuit on given key frequencies', () => {
    expect(circuitPoint(500, fakeAnalysis(), [2, 1])).toEqual({
      epoch: 500, embeddingFreqNorms: [0.1, 2, 0.3], clusterSizes: { 2: 3, 1: 0 }, unclustered: 2, logitVarianceExplained: 0.61,
    });
    expect(() => circuitPoint(0, fakeAnalysis(), [4])).toThrow(/key frequencies must be integers in 1\.\.3, got 4/);
  });

  it('sums per-frequency shares to the fit\'s variance explained on the same frequencies (orthogonal terms)', async () => {
    const model = createTransformer(modularAdditionConfig(11, { dModel: 16, nHeads: 2, dMlp: 24, seed: 3 }));
    const analysis = await analyzeModel(model);
    const keys = [1, 4];
    const fit = analysis.logits!.fit;
    // The fit is on the analysis' own key frequencies; compare on those when it found any, else on [1, 4] by hand.
    const freqs = fit.freqs.length ? fit.freqs : keys;
    const point = circuitPoint(0, analysis, freqs);
    if (fit.freqs.length) expect(point.logitVarianceExplained).toBeCloseTo(fit.fractionOfVarianceExplained, 4);
    expect(point.logitVarianceExplained).toBeCloseTo(freqs.reduce((s, k) => s + analysis.logits!.fractionExplainedByFrequency[k - 1]!, 0), 10);
    model.dispose();
  });

  it('follows the final checkpoint\'s key frequencies back through a series, disposing what it loads', async () => {
    const configs = [1, 2, 3].map((seed) => modularAdditionConfig(11, { dModel: 16, nHeads: 2, dMlp: 24, seed }));
    let open = 0;
    const load = (i: number) => () => { open += 1; const m = createTransformer(configs[i]!); const d = m.dispose.bind(m); m.dispose = () => { open -= 1; d(); }; return m; };
    const before = tf.memory().numTensors;
    const series = await circuitSeries([{ epoch: 200, model: load(2) }, { epoch: 0, model: load(0) }, { epoch: 100, model: load(1) }]);
    expect(tf.memory().numTensors).toBe(before);
    expect(open).toBe(0);
    expect(series.points.map((p) => p.epoch)).toEqual([0, 100, 200]);
    const final = createTransformer(configs[2]!);
    const finalAnalysis = await analyzeModel(final);
    final.dispose();
    expect(series.keyFrequencies).toEqual(finalAnalysis.keyFrequencies);
    expect(series.points[2]).toEqual(circuitPoint(200, finalAnalysis, finalAnalysis.keyFrequencies));
    expect(series.points[0]!.embeddingFreqNorms).toHaveLength(5);
    await expect(circuitSeries([])).rejects.toThrow(/at least one checkpoint/);
  });
});
