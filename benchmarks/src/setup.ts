// The run the benchmark times: the grokking write-up's seed run (modular addition, p 113, 30% of pairs, full batch).

/** The model and optimiser of the write-up's seed run. Derived sizes come from {@link derivedSizes}. */
export interface SeedRun {
  /** The modulus: inputs are "a b =" with a, b in [0, p). */
  p: number;
  /** Fraction of the p² pairs in the training set (full batch). */
  trainFraction: number;
  /** Residual stream width. */
  dModel: number;
  /** Attention heads; each is dModel / nHeads wide. */
  nHeads: number;
  /** MLP hidden width (ReLU, no LayerNorm anywhere). */
  dMlp: number;
  /** AdamW learning rate. */
  lr: number;
  /** AdamW decoupled weight decay. */
  weightDecay: number;
  /** AdamW betas. */
  betas: [number, number];
  /** AdamW epsilon (PyTorch's default). */
  eps: number;
}

/** The write-up's values. */
export const SEED_RUN: SeedRun = {
  p: 113,
  trainFraction: 0.3,
  dModel: 128,
  nHeads: 4,
  dMlp: 512,
  lr: 1e-3,
  weightDecay: 1,
  betas: [0.9, 0.98],
  eps: 1e-8,
};

/** `all`: every position through the whole model (the write-up's code); `last`: only what the loss reads. */
export type Formulation = 'all' | 'last';

/** The sizes that follow from a run: d_vocab = p + 1 (the "=" token), d_vocab_out = p, n_ctx = 3, d_head. */
export function derivedSizes(run: SeedRun): { dVocab: number; dVocabOut: number; nCtx: number; dHead: number; batch: number } {
  return {
    dVocab: run.p + 1,
    dVocabOut: run.p,
    nCtx: 3,
    dHead: run.dModel / run.nHeads,
    batch: Math.floor(run.trainFraction * run.p * run.p),
  };
}

/** The training set: `tokens` [batch * 3] row-major ("a b =" per example) and `labels` [batch] = (a + b) mod p. */
export interface BenchData {
  tokens: Int32Array;
  labels: Int32Array;
  batch: number;
}

/** A seeded random subset of the pairs (mulberry32 + Fisher-Yates); which pairs does not change the timing. */
export function makeData(run: SeedRun, seed = 0): BenchData {
  const { p } = run;
  const { batch } = derivedSizes(run);
  let s = seed >>> 0;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pairs = Int32Array.from({ length: p * p }, (_, i) => i);
  for (let i = pairs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [pairs[i], pairs[j]] = [pairs[j]!, pairs[i]!];
  }
  const tokens = new Int32Array(batch * 3);
  const labels = new Int32Array(batch);
  for (let n = 0; n < batch; n++) {
    const a = Math.floor(pairs[n]! / p);
    const b = pairs[n]! % p;
    tokens.set([a, b, p], n * 3);
    labels[n] = (a + b) % p;
  }
  return { tokens, labels, batch };
}
