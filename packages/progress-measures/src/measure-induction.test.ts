// measureInduction on a hand-built 2-layer attention-only transformer wired as an exact previous-token head and an
// exact induction head (plus a zero head per layer: uniform attention), and on random weights.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createTransformer, defineTransformerConfig, modelFromStateDict, stateDict, type StateDict } from '@grokking/model';
import { createRng, repeatedSubsequence } from '@grokking/tasks';
import { measureInduction } from './measure-induction';
import { inductionBaselines } from './induction-scores';
import { noLeak, referenceLoss } from './test-fixtures';

const task = repeatedSubsequence({ vocabSize: 10, length: 14, repeatLength: 4 });
const { nCtx, dVocab, dVocabOut } = task.info; // 15, 11, 10
const config = defineTransformerConfig({ nLayers: 2, dModel: 47, nHeads: 2, dHead: 15, nCtx, dVocab, dVocabOut, attnOnly: true });

/**
 * The induction circuit by hand. The residual stream holds one-hots: the token in dims 0..10, the position in 11..25,
 * the previous token in 26..36 (written by layer 0), the predicted next token in 37..46 (written by layer 1).
 * - Layer 0 head 0 (previous token): query position q · key position k scores 40 when k = q - 1; copies k's token into
 *   the previous-token dims.
 * - Layer 1 head 0 (induction): query token · key's previous token scores 40 when they are equal; a query bias times
 *   key position 0 scores -40 there (position 0 has no previous token: layer 0 wrote its own token); copies the key's
 *   token into the prediction dims, which the unembed reads with weight 20.
 * - Head 1 of each layer is all zeros: uniform causal attention that writes nothing.
 */
function inductionModel() {
  const dict = stateDict(createTransformer(config));
  const set = (name: string, index: number[], value: number) => {
    const { shape, data } = dict[name]!;
    data[index.reduce((flat, i, axis) => flat * shape[axis]! + i, 0)] = value;
  };
  for (const entry of Object.values(dict)) entry.data.fill(0);
  const a = Math.sqrt(40 * Math.sqrt(15)); // a² / sqrt(d_head) = 40
  for (let t = 0; t < dVocab; t++) set('embed.W_E', [t, t], 1);
  for (let i = 0; i < nCtx; i++) set('pos_embed.W_pos', [i, 11 + i], 1);
  for (let i = 0; i < nCtx; i++) set('blocks.0.attn.W_Q', [0, 11 + i, i], a);
  for (let i = 0; i + 1 < nCtx; i++) set('blocks.0.attn.W_K', [0, 11 + i, i + 1], a);
  for (let t = 0; t < dVocab; t++) set('blocks.0.attn.W_V', [0, t, t], 1);
  for (let t = 0; t < dVocab; t++) set('blocks.0.attn.W_O', [0, t, 26 + t], 1);
  for (let t = 0; t < dVocab; t++) set('blocks.1.attn.W_Q', [0, t, t], a);
  for (let t = 0; t < dVocab; t++) set('blocks.1.attn.W_K', [0, 26 + t, t], a);
  set('blocks.1.attn.b_Q', [0, 14], a);
  set('blocks.1.attn.W_K', [0, 11, 14], -a);
  for (let t = 0; t < dVocabOut; t++) set('blocks.1.attn.W_V', [0, t, t], 1);
  for (let t = 0; t < dVocabOut; t++) set('blocks.1.attn.W_O', [0, t, 37 + t], 1);
  for (let t = 0; t < dVocabOut; t++) set('unembed.W_U', [37 + t, t], 20);
  return modelFromStateDict({ kind: 'transformer', config }, dict as StateDict);
}

/**
 * The hand-built model's logits at query q, from the tokens alone: layer 1 head 0 scores key k by
 * 40·[token k-1 = token q] (key 0 has its own token as previous one, and -40 from the bias), softmax over k <= q,
 * and the output is 20 times the attention-weighted one-hot of the keys' tokens.
 */
function circuitLogits(tokens: number[], q: number): number[] {
  const scores = Array.from({ length: q + 1 }, (_, k) => 40 * (tokens[Math.max(0, k - 1)] === tokens[q] ? 1 : 0) - (k === 0 ? 40 : 0));
  const top = Math.max(...scores);
  const weights = scores.map((s) => Math.exp(s - top));
  const total = weights.reduce((x, y) => x + y, 0);
  const logits = new Array<number>(dVocabOut).fill(0);
  weights.forEach((w, k) => {
    const t = tokens[k]!;
    if (t < dVocabOut) logits[t] = logits[t]! + (20 * w) / total;
  });
  return logits;
}

beforeAll(async () => {
  await readyBackend('cpu');
});

describe('measureInduction', () => {
  const data = task.sample(60, createRng(11));
  const baseline = inductionBaselines(data, task.info);

  it('scores the hand-built previous-token and induction heads ~1, the zero heads at the uniform baseline', async () => {
    const model = inductionModel();
    const m = await noLeak(() => measureInduction(model, data, task.info, { batchSize: 25 })); // 3 batches
    model.dispose();
    expect(m.previousToken[0]![0]).toBeGreaterThan(0.999);
    expect(m.induction[1]![0]).toBeGreaterThan(0.999);
    for (const layer of [0, 1]) {
      expect(m.previousToken[layer]![1]).toBeCloseTo(baseline.previousToken, 5);
      expect(m.induction[layer]![1]).toBeCloseTo(baseline.induction, 5);
    }
    expect(m.baseline.previousToken).toBeCloseTo(baseline.previousToken, 12);
    expect(m.baseline.induction).toBeCloseTo(baseline.induction, 12);
    // The losses of the circuit computed by hand in float64 (circuitLogits), on the same two sets of positions.
    const reference = { repeated: [] as number[], nonRepeated: [] as number[] };
    for (let b = 0; b < data.size; b++) {
      const tokens = Array.from(data.tokens.subarray(b * nCtx, (b + 1) * nCtx));
      const scored = Array.from(data.positions.subarray(b * 3, b * 3 + 3));
      for (let q = 0; q <= nCtx - 3; q++) (scored.includes(q) ? reference.repeated : reference.nonRepeated).push(referenceLoss(circuitLogits(tokens, q), tokens[q + 1]!));
    }
    const mean = (v: number[]) => v.reduce((x, y) => x + y, 0) / v.length;
    expect(m.loss.repeated).toBeCloseTo(mean(reference.repeated), 4);
    expect(m.loss.nonRepeated).toBeCloseTo(mean(reference.nonRepeated), 4);
    expect(m.loss.repeated).toBeLessThan(0.3 * m.loss.nonRepeated); // the repeat is predicted, the rest is not
  });

  it('scores random weights near the uniform baselines, the same in one batch as in several', async () => {
    const model = createTransformer({ ...config, seed: 3 });
    const m = await measureInduction(model, data, task.info);
    const batched = await measureInduction(model, data, task.info, { batchSize: 7 });
    model.dispose();
    for (const layer of [0, 1]) {
      for (const head of [0, 1]) {
        expect(Math.abs(m.previousToken[layer]![head]! - baseline.previousToken)).toBeLessThan(0.02);
        expect(Math.abs(m.induction[layer]![head]! - baseline.induction)).toBeLessThan(0.02);
        expect(batched.induction[layer]![head]).toBeCloseTo(m.induction[layer]![head]!, 6);
        expect(batched.previousToken[layer]![head]).toBeCloseTo(m.previousToken[layer]![head]!, 6);
      }
    }
    expect(batched.loss.repeated).toBeCloseTo(m.loss.repeated, 5);
    expect(Math.abs(m.loss.repeated - Math.log(10))).toBeLessThan(0.1); // a random model is near uniform everywhere
  });

  it('names a model that is not a transformer', async () => {
    const { createMlp, defineMlpConfig } = await import('@grokking/model');
    const mlp = createMlp(defineMlpConfig({ p: 7, dHidden: 4 }));
    const before = tf.memory().numTensors;
    await expect(measureInduction(mlp, data, task.info)).rejects.toThrow(/attention patterns need a transformer with runWithCache, got a mlp model/);
    expect(tf.memory().numTensors).toBe(before);
    mlp.dispose();
  });
});
