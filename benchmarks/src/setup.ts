// The run the benchmark times: the grokking write-up's seed run (modular addition, p 113, 30% of pairs, full batch),
// read from the `modular-addition` preset of @grokking/experiments so the benchmark times the run `grok train` trains.
import { presetSpec, type RunSpec } from '@grokking/experiments';

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

/** The seed run's spec (seed 0). */
export function seedRunSpec(): RunSpec {
  return presetSpec('modular-addition');
}

function seedRun(spec: RunSpec): SeedRun {
  const { task, model, trainer } = spec;
  if (model.kind !== 'transformer' || task.p === undefined || task.trainFraction === undefined) {
    throw new Error(`the benchmark times a transformer on a modular task with p and trainFraction, got ${JSON.stringify({ task, model })}`);
  }
  return {
    p: task.p, trainFraction: task.trainFraction, dModel: model.dModel, nHeads: model.nHeads, dMlp: model.dMlp,
    lr: trainer.lr, weightDecay: trainer.weightDecay, betas: [trainer.beta1, trainer.beta2], eps: trainer.eps,
  };
}

/** The write-up's values, as the preset gives them. */
export const SEED_RUN: SeedRun = seedRun(seedRunSpec());

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
