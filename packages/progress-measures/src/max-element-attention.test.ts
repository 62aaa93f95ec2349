// maxElementAttention on hand-built patterns, and measureMaxElementAttention on a hand-built 1-layer model whose head
// 0 attends from END to the top value and whose head 1 is zero (uniform attention).
import { readyBackend } from '@grokking/backend';
import { createTransformer, defineTransformerConfig, modelFromStateDict, stateDict } from '@grokking/model';
import { createRng, maxElement } from '@grokking/tasks';
import { maxAttentionBaseline, maxElementAttention, measureMaxElementAttention } from './max-element-attention';
import { noLeak } from './test-fixtures';

const task = maxElement(); // START, 11 values, END: nCtx 13, scored at 12
const { nCtx, dVocab, dVocabOut } = task.info;

beforeAll(async () => {
  await readyBackend('cpu');
});

/** Where example b's max is (brute force over its values). */
function maxPosition(tokens: Int32Array, b: number): number {
  let best = 1;
  for (let k = 1; k <= nCtx - 2; k++) if (tokens[b * nCtx + k]! > tokens[b * nCtx + best]!) best = k;
  return best;
}

describe('maxElementAttention', () => {
  const data = task.sample(20, createRng(2));
  // Head 0 on the max; head 1 uniform; head 2 on END itself; head 3 half on the max, half on START.
  const row = (b: number, h: number, q: number) =>
    Array.from({ length: nCtx }, (_, k) => {
      if (k > q) return 0;
      const max = maxPosition(data.tokens, b);
      if (h === 0) return k === max ? 1 : 0;
      if (h === 1) return 1 / (q + 1);
      if (h === 2) return k === q ? 1 : 0;
      return k === max || k === 0 ? 0.5 : 0;
    });
  const full = Array.from({ length: 20 }, (_, b) => Array.from({ length: 4 }, (_, h) => Array.from({ length: nCtx }, (_, q) => row(b, h, q))));
  const scoredOnly = full.map((heads) => heads.map((rows) => [rows[nCtx - 1]!]));

  it('scores a head on the max 1, uniform attention 1/13, attention to END 0, half on the max 0.5', () => {
    for (const pattern of [full, scoredOnly]) {
      const scores = maxElementAttention(pattern, data, task.info);
      expect(scores).toHaveLength(4);
      expect(scores[0]).toBe(1);
      expect(scores[1]).toBeCloseTo(1 / 13, 12);
      expect(scores[2]).toBe(0);
      expect(scores[3]).toBe(0.5);
    }
    expect(maxAttentionBaseline(data, task.info)).toBeCloseTo(1 / 13, 12);
  });

  it('names a pattern with the wrong query axis', () => {
    const two = full.map((heads) => heads.map((rows) => rows.slice(0, 2)));
    expect(() => maxElementAttention(two, data, task.info)).toThrow(/every query position \(13\) or only the scored one, got 2/);
  });
});

describe('measureMaxElementAttention', () => {
  it('gives ~1 for a hand-built head attending END → top value and the baseline for a zero head', async () => {
    const config = defineTransformerConfig({ nLayers: 1, dModel: dVocab, nHeads: 2, dHead: 4, nCtx, dVocab, dVocabOut, attnOnly: true });
    const dict = stateDict(createTransformer(config));
    for (const entry of Object.values(dict)) entry.data.fill(0);
    const a = Math.sqrt(40 * 2); // a² / sqrt(d_head) = 40
    const put = (name: string, index: number[], v: number) => {
      const { shape, data } = dict[name]!;
      data[index.reduce((flat, i, axis) => flat * shape[axis]! + i, 0)] = v;
    };
    for (let t = 0; t < dVocab; t++) put('embed.W_E', [t, t], 1); // token one-hots; no positional embedding
    put('blocks.0.attn.W_Q', [0, dVocab - 1, 0], a); // END queries dimension 0
    for (let t = 10; t < 20; t++) put('blocks.0.attn.W_K', [0, t, 0], a); // top values answer it
    const model = modelFromStateDict({ kind: 'transformer', config }, dict);
    const data = task.sample(50, createRng(4));
    const result = await noLeak(() => measureMaxElementAttention(model, data, task.info, { batchSize: 20 }));
    model.dispose();
    expect(result.byLayer).toHaveLength(1);
    expect(result.byLayer[0]![0]).toBeGreaterThan(0.999);
    expect(result.byLayer[0]![1]).toBeCloseTo(1 / 13, 6);
    expect(result.baseline).toBeCloseTo(1 / 13, 12);
  });
});
