// analyzeModularAddition on a hand-built model of known frequencies, on random weights, and on wasm.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { analyzeModularAddition, type ModularAdditionInputs, type ModularAdditionAnalysis } from './analyze';
import { cosW, sinW, overInputs, matrix, noLeak } from './test-fixtures';

const p = 113;
const freqs = [14, 35, 41];
const alpha = [3, 2, 1];

/**
 * A hand-built "model" made of frequencies 14, 35 and 41: embedding columns are their waves; neurons 0-8 are exact
 * same-frequency products and linear terms (3 per frequency), neurons 9-10 are noise; logits are Σ α_w cos(w(x+y-z));
 * W_L's rows for a cluster write only its frequency; head 0 uses 14 and head 1 uses 41.
 */
function handBuilt(): ModularAdditionInputs & { dispose: () => void } {
  const W_E = matrix(p + 1, 6, (x, c) => (x === p ? 7 : c % 2 === 0 ? cosW(p, freqs[c >> 1]!, x) : sinW(p, freqs[c >> 1]!, x)));
  const shapes = [
    (w: number, x: number, y: number) => cosW(p, w, x) * cosW(p, w, y) - sinW(p, w, x) * sinW(p, w, y),
    (w: number, x: number, y: number) => 2 * sinW(p, w, x) * cosW(p, w, y) + cosW(p, w, y) + 1,
    (w: number, x: number, y: number) => cosW(p, w, x) + cosW(p, w, y) + 0.5 * cosW(p, w, x) * sinW(p, w, y),
  ];
  const structured = overInputs(p, 9, (x, y, n) => shapes[n % 3]!(freqs[Math.floor(n / 3)]!, x, y));
  const noise = tf.randomNormal([p * p, 2], 0, 1, 'float32', 5);
  const neuronActs = tf.concat([structured, noise], 1);
  const logits = overInputs(p, p, (x, y, z) => freqs.reduce((s, w, i) => s + alpha[i]! * cosW(p, w, x + y - z), 0));
  const W_L = matrix(11, p, (n, z) => {
    if (n >= 9) return 0;
    const w = freqs[Math.floor(n / 3)]!;
    return n % 3 === 0 ? cosW(p, w, z) : n % 3 === 1 ? sinW(p, w, z) : cosW(p, w, z) - sinW(p, w, z);
  });
  const attnPattern = overInputs(p, 2, (x, y, h) => 0.5 + 0.1 * cosW(p, h === 0 ? 14 : 41, x) * cosW(p, h === 0 ? 14 : 41, y));
  const tensors = [W_E, structured, noise, neuronActs, logits, W_L, attnPattern];
  return { p, W_E, neuronActs, logits, W_L, attnPattern, dispose: () => tf.dispose(tensors) };
}

describe('analyzeModularAddition', () => {
  let analysis: ModularAdditionAnalysis;
  beforeAll(async () => {
    await readyBackend('cpu');
    const model = handBuilt();
    analysis = noLeak(() => analyzeModularAddition(model));
    model.dispose();
  });

  it('gives back exactly the frequencies, clusters and α a hand-built model is made of', () => {
    expect(analysis.keyFrequencies).toEqual(freqs);
    expect(analysis.keyFrequencySource).toBe('neurons');
    expect(analysis.basisNames).toHaveLength(p);
    expect(analysis.neurons!.clusters.clusters).toEqual([
      { freq: 14, neurons: [0, 1, 2] },
      { freq: 35, neurons: [3, 4, 5] },
      { freq: 41, neurons: [6, 7, 8] },
    ]);
    expect(analysis.neurons!.clusters.unclustered).toEqual([9, 10]);
    expect(analysis.neurons!.fourier2dNorms).toHaveLength(p);
    expect(analysis.embedding!.keyFrequencies).toEqual(freqs);
    expect(analysis.embedding!.circles.map((c) => c.freq)).toEqual(freqs);
    analysis.embedding!.circles.forEach((c) => c.explainedVarianceRatio.forEach((r) => expect(r).toBeCloseTo(0.5, 4)));
    // W_E's 6 non-constant components of equal norm out of 112: Gini = 1 - 6/112
    expect(analysis.embedding!.gini).toBeCloseTo(1 - 6 / 112, 4);
    const fit = analysis.logits!.fit;
    expect(fit.freqs).toEqual(freqs);
    fit.alphas.forEach((a, i) => expect(a).toBeCloseTo(alpha[i]!, 4));
    expect(fit.fractionOfVarianceExplained).toBeCloseTo(1, 5);
    expect(analysis.logits!.fractionExplainedByFrequency[13]).toBeCloseTo(9 / 14, 4);
    expect(analysis.unembed!.carriedFrequencies).toEqual(freqs);
    analysis.unembed!.clusterOutputs.forEach((c) => expect(c.ownFraction).toBeCloseTo(1, 5));
    expect(analysis.attention!.heads.map((h) => h.freq)).toEqual([14, 41]);
  });

  it('is plain JSON-serialisable data', () => {
    expect(JSON.parse(JSON.stringify(analysis))).toEqual(analysis);
  });

  it('finds no key frequencies in a random model', () => {
    const q = 59; // smaller than 113 to keep tfjs-cpu quick; the rules do not depend on p
    const dModel = 32;
    const dMlp = 48;
    const inputs = tf.tidy(() => {
      const W_E = tf.randomNormal([q + 1, dModel], 0, 1, 'float32', 21);
      const E = tf.slice(W_E, [0, 0], [q, dModel]); // [q, d_model]
      const fromX = tf.matMul(E, tf.randomNormal([dModel, dMlp], 0, 0.2, 'float32', 22)); // [q, d_mlp]
      const fromY = tf.matMul(E, tf.randomNormal([dModel, dMlp], 0, 0.2, 'float32', 23)); // [q, d_mlp]
      const neuronActs = tf.relu(tf.add(tf.reshape(fromX, [q, 1, dMlp]), tf.reshape(fromY, [1, q, dMlp]))); // [q, q, d_mlp]
      const W_L = tf.randomNormal([dMlp, q], 0, 1, 'float32', 24);
      const logits = tf.matMul(tf.reshape(neuronActs, [q * q, dMlp]), W_L); // [q*q, q]
      const attnPattern = tf.sigmoid(tf.add(tf.randomNormal([q, 1, 4], 0, 1, 'float32', 25), tf.randomNormal([1, q, 4], 0, 1, 'float32', 26)));
      return { W_E, neuronActs, W_L, logits, attnPattern };
    });
    const analysis = noLeak(() => analyzeModularAddition({ p: q, ...inputs }));
    tf.dispose(Object.values(inputs));
    expect(analysis.keyFrequencies).toEqual([]);
    expect(analysis.neurons!.keyFrequencies).toEqual([]);
    expect(analysis.neurons!.clusters.clusters).toEqual([]);
    expect(analysis.embedding!.keyFrequencies).toEqual([]);
    expect(analysis.unembed!.carriedFrequencies).toEqual([]);
    expect(analysis.logits!.fit.fractionOfVarianceExplained).toBe(0);
    expect(Math.max(...analysis.logits!.fractionExplainedByFrequency)).toBeLessThan(0.1);
    expect(analysis.embedding!.gini).toBeLessThan(0.3);
  });

  it('falls back to the embedding, then W_L, for key frequencies, leaving absent sections null', () => {
    const model = handBuilt();
    const fromEmbedding = analyzeModularAddition({ p, W_E: model.W_E, W_L: model.W_L });
    const fromUnembed = analyzeModularAddition({ p, W_L: model.W_L });
    model.dispose();
    expect(fromEmbedding.keyFrequencySource).toBe('embedding');
    expect(fromEmbedding.keyFrequencies).toEqual(freqs);
    expect(fromEmbedding.neurons).toBeNull();
    expect(fromEmbedding.logits).toBeNull();
    expect(fromUnembed.keyFrequencySource).toBe('unembed');
    expect(fromUnembed.keyFrequencies).toEqual(freqs);
    const none = analyzeModularAddition({ p });
    expect(none.keyFrequencySource).toBe('none');
    expect(none.keyFrequencies).toEqual([]);
  });

  it('gives the same analysis on the wasm backend', async () => {
    const cpu = analysis;
    await readyBackend('wasm');
    try {
      const onWasm = handBuilt();
      const wasm = noLeak(() => analyzeModularAddition(onWasm));
      onWasm.dispose();
      expect(wasm.keyFrequencies).toEqual(cpu.keyFrequencies);
      expect(wasm.neurons!.clusters).toEqual(cpu.neurons!.clusters);
      wasm.logits!.fit.alphas.forEach((a, i) => expect(a).toBeCloseTo(cpu.logits!.fit.alphas[i]!, 4));
      wasm.neurons!.fractions.forEach((row, n) => row.forEach((f, k) => expect(f).toBeCloseTo(cpu.neurons!.fractions[n]![k]!, 4)));
      expect(wasm.unembed!.effectiveRank).toBeCloseTo(cpu.unembed!.effectiveRank, 3);
    } finally {
      await readyBackend('cpu');
    }
  }, 60000);
});
