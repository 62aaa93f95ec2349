// analyzeModel on the write-up's 2-layer MLP, hand-built to compute the trig algorithm: its neurons, clusters, key
// frequencies and logit fit must come out as the construction says.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createMlp, defineMlpConfig, modelFromStateDict, stateDict } from '@grokking/model';
import { analyzeModel } from './model-analysis';
import { noLeak } from './test-fixtures';

const p = 23;
const keys = [3, 7, 10];
const phases = 16; // neurons per key frequency

/**
 * The trig algorithm in the MLP. Neuron (w, j), with phase φ_j = 2πj/16, reads
 *   pre = cos(wx + φ_j) + cos(wy + φ_j) = 2 cos(w(x-y)/2) cos(w(x+y)/2 + φ_j)   (w meaning 2πw/p)
 * (W_in's row for a number t is cos(wt + φ_j): the MLP sums the rows of x and y), and writes cos(wz + 2φ_j) to answer
 * z. ReLU(A cos u) = |A| (1/π + cos(u)/2 + (2/3π) cos 2u - ...), and summed over the 16 phases against cos(wz + 2φ_j)
 * only the harmonics 2, 14, 18, ... of u survive: the second gives (16/2)(2/3π)·2|cos(w(x-y)/2)|·cos(w(x+y-z)), the
 * 14th and beyond add 3/195 of that or less. So the logits are Σ_w C |cos(w(x-y)/2)| cos(w(x+y-z)) up to 1.5%.
 */
function trigMlp() {
  const config = defineMlpConfig({ p, dHidden: keys.length * phases });
  const dict = stateDict(createMlp(config));
  for (const entry of Object.values(dict)) entry.data.fill(0);
  const { data: W_in } = dict['mlp.W_in']!; // [p, d_hidden]
  const { data: W_out } = dict['mlp.W_out']!; // [d_hidden, p]
  const d = keys.length * phases;
  keys.forEach((w, i) => {
    for (let j = 0; j < phases; j++) {
      const n = i * phases + j;
      const phi = (2 * Math.PI * j) / phases;
      for (let t = 0; t < p; t++) W_in[t * d + n] = Math.cos((2 * Math.PI * w * t) / p + phi);
      for (let z = 0; z < p; z++) W_out[n * p + z] = Math.cos((2 * Math.PI * w * z) / p + 2 * phi);
    }
  });
  return modelFromStateDict({ kind: 'mlp', config }, dict);
}

beforeAll(async () => {
  await readyBackend('cpu');
});

describe('analyzeModel on a hand-built trig MLP', () => {
  it('computes x + y mod p, and its analysis finds the construction', async () => {
    const model = trigMlp();
    // The construction does the task: every argmax is (x + y) mod p.
    const correct = tf.tidy(() => {
      const tokens = tf.tensor2d(Int32Array.from({ length: p * p * 3 }, (_, i) => [Math.floor(i / 3 / p), Math.floor(i / 3) % p, p][i % 3]!), [p * p, 3], 'int32');
      const predicted = tf.argMax(tf.reshape(model.forward(tokens), [p * p, p]), 1).dataSync();
      return Array.from(predicted).every((z, i) => z === (Math.floor(i / p) + (i % p)) % p);
    });
    expect(correct).toBe(true);

    const analysis = await noLeak(() => analyzeModel(model));
    model.dispose();
    expect(analysis.keyFrequencySource).toBe('neurons');
    expect(analysis.keyFrequencies).toEqual(keys);
    // Each key's 16 neurons form its cluster (a ReLU neuron of one frequency has ~96% of its variance there).
    expect(analysis.neurons!.clusters.clusters).toEqual(keys.map((freq, i) => ({ freq, neurons: Array.from({ length: phases }, (_, j) => i * phases + j) })));
    expect(analysis.neurons!.clusters.unclustered).toEqual([]);
    expect(analysis.embedding!.keyFrequencies).toEqual(keys);
    expect(analysis.unembed!.carriedFrequencies).toEqual(keys);

    // The fit of Σ α cos(w(x+y-z)) explains (E|cos(πr/p)|)² / E[cos²(πr/p)] of the variance, r uniform over Z_p
    // (for w coprime to p, w(x-y) mod p is uniform), less the 14th-harmonic leak; the three α are equal.
    const r = Array.from({ length: p }, (_, i) => Math.cos((Math.PI * i) / p));
    const expected = (r.reduce((s, c) => s + Math.abs(c), 0) / p) ** 2 / (r.reduce((s, c) => s + c * c, 0) / p);
    const fit = analysis.logits!.fit;
    expect(fit.freqs).toEqual(keys);
    expect(Math.abs(fit.fractionOfVarianceExplained - expected)).toBeLessThan(0.005); // 0.8115 against 0.8118 for p = 23
    for (const a of fit.alphas) expect(a / fit.alphas[0]!).toBeCloseTo(1, 2);
    expect(analysis.attention).toBeNull();
  });
});
