import * as tf from '@tensorflow/tfjs-core';
import { derivedSizes, type BenchData, type Formulation, type SeedRun } from './setup';

/** What a runner is given: the run, its training set and the formulation to compute. */
export interface RunnerSetup {
  run: SeedRun;
  data: BenchData;
  formulation: Formulation;
  seed: number;
}

/**
 * One way to train the model in tfjs, as the benchmark times it. Point the harness at the real model and trainer by
 * adding a factory to `RUNNERS` in runners.ts.
 */
export interface EpochRunner {
  /** What is timed, as the results show it. */
  label: string;
  /** One full-batch AdamW step; resolves to the loss before the step, read back so the work is finished. */
  epoch(): Promise<number>;
  /** Frees every tensor the runner made. */
  dispose(): void;
}

/**
 * The "naive tfjs" baseline: the model written directly with tfjs-core ops as one would first write it. Embedding
 * as a one-hot matmul (the wasm backend cannot backprop through gather), batched attention, MLP and unembedding,
 * softmax cross-entropy at the last position, gradients from tf.variableGrads and a hand-written AdamW (PyTorch's
 * decoupled form). Heads sit side by side in the projection matrices: W_Q here is TransformerLens' W_Q
 * [n_heads, d_model, d_head] laid out as [d_model, n_heads * d_head].
 */
export async function naiveTfjsRunner({ run, data, formulation, seed }: RunnerSetup): Promise<EpochRunner> {
  const { dVocab, dVocabOut, nCtx, dHead, batch: B } = derivedSizes(run);
  const d = run.dModel;
  const H = run.nHeads;
  const P = formulation === 'all' ? nCtx : 1; // query positions computed
  const normal = (shape: number[], std: number, i: number): tf.Variable =>
    tf.variable(tf.randomNormal(shape, 0, std, 'float32', seed * 100 + i));
  const params: Record<string, tf.Variable> = {
    W_E: normal([dVocab, d], 1 / Math.sqrt(d), 1), // [d_vocab, d_model]
    W_pos: normal([nCtx, d], 1 / Math.sqrt(d), 2), // [n_ctx, d_model]
    W_Q: normal([d, H * dHead], 1 / Math.sqrt(d), 3), // [d_model, n_heads * d_head]
    W_K: normal([d, H * dHead], 1 / Math.sqrt(d), 4), // [d_model, n_heads * d_head]
    W_V: normal([d, H * dHead], 1 / Math.sqrt(d), 5), // [d_model, n_heads * d_head]
    W_O: normal([H * dHead, d], 1 / Math.sqrt(d), 6), // [n_heads * d_head, d_model]
    W_in: normal([d, run.dMlp], 1 / Math.sqrt(d), 7), // [d_model, d_mlp]
    b_in: tf.variable(tf.zeros([run.dMlp])), // [d_mlp]
    W_out: normal([run.dMlp, d], 1 / Math.sqrt(d), 8), // [d_mlp, d_model]
    b_out: tf.variable(tf.zeros([d])), // [d_model]
    W_U: normal([d, dVocabOut], 1 / Math.sqrt(dVocabOut), 9), // [d_model, d_vocab_out]
  };
  const m = Object.fromEntries(Object.entries(params).map(([k, p]) => [k, tf.variable(tf.zerosLike(p))]));
  const v = Object.fromEntries(Object.entries(params).map(([k, p]) => [k, tf.variable(tf.zerosLike(p))]));
  const tokens = tf.cast(tf.oneHot(tf.tensor1d(data.tokens, 'int32'), dVocab), 'float32'); // [B * n_ctx, d_vocab]
  const labels = tf.cast(tf.oneHot(tf.tensor1d(data.labels, 'int32'), dVocabOut), 'float32'); // [B, d_vocab_out]
  const causal = tf.linalg.bandPart(tf.ones([nCtx, nCtx]), -1, 0); // [n_ctx, n_ctx]: 1 where key <= query
  const mask = tf.mul(tf.sub(1, causal), -1e9); // [n_ctx, n_ctx]: added to the scores
  causal.dispose();
  let step = 0;

  // [rows, n_heads * d_head] -> [B, n_heads, pos, d_head]
  const heads = (t: tf.Tensor, pos: number): tf.Tensor4D => tf.transpose(tf.reshape(t, [B, pos, H, dHead]), [0, 2, 1, 3]);

  const loss = (): tf.Scalar => {
    const x = tf.add(tf.reshape(tf.matMul(tokens, params.W_E!), [B, nCtx, d]), params.W_pos!); // [B, n_ctx, d_model]
    const xFlat = tf.reshape(x, [B * nCtx, d]); // [B * n_ctx, d_model]
    const k = heads(tf.matMul(xFlat, params.W_K!), nCtx); // [B, n_heads, n_ctx, d_head]
    const val = heads(tf.matMul(xFlat, params.W_V!), nCtx); // [B, n_heads, n_ctx, d_head]
    const xq = P === nCtx ? xFlat : tf.reshape(tf.slice(x, [0, nCtx - 1, 0], [B, 1, d]), [B, d]); // [B * P, d_model]
    const q = heads(tf.matMul(xq, params.W_Q!), P); // [B, n_heads, P, d_head]
    let scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dHead)); // [B, n_heads, P, n_ctx]
    if (P === nCtx) scores = tf.add(scores, mask); // causal mask; the last position sees every key anyway
    const z = tf.matMul(tf.softmax(scores), val); // [B, n_heads, P, d_head]
    const zFlat = tf.reshape(tf.transpose(z, [0, 2, 1, 3]), [B * P, H * dHead]); // [B * P, n_heads * d_head]
    const residMid = tf.add(xq, tf.matMul(zFlat, params.W_O!)); // [B * P, d_model]
    const post = tf.relu(tf.add(tf.matMul(residMid, params.W_in!), params.b_in!)); // [B * P, d_mlp]
    const residPost = tf.add(residMid, tf.add(tf.matMul(post, params.W_out!), params.b_out!)); // [B * P, d_model]
    let logits = tf.matMul(residPost, params.W_U!); // [B * P, d_vocab_out]
    if (P === nCtx) logits = tf.reshape(tf.slice(tf.reshape(logits, [B, nCtx, dVocabOut]), [0, nCtx - 1, 0], [B, 1, dVocabOut]), [B, dVocabOut]); // [B, d_vocab_out]
    return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
  };

  // PyTorch's AdamW: decay the weights, then the bias-corrected Adam step.
  const adamW = (grads: tf.NamedTensorMap): void => {
    step += 1;
    const [b1, b2] = run.betas;
    const c1 = 1 - b1 ** step;
    const c2 = 1 - b2 ** step;
    for (const [name, p] of Object.entries(params)) {
      const g = grads[p.name]!; // variableGrads keys gradients by variable name
      const mNew = tf.add(tf.mul(m[name]!, b1), tf.mul(g, 1 - b1));
      const vNew = tf.add(tf.mul(v[name]!, b2), tf.mul(tf.square(g), 1 - b2));
      const update = tf.div(tf.div(mNew, c1), tf.add(tf.sqrt(tf.div(vNew, c2)), run.eps));
      p.assign(tf.sub(tf.mul(p, 1 - run.lr * run.weightDecay), tf.mul(update, run.lr)));
      m[name]!.assign(mNew);
      v[name]!.assign(vNew);
    }
  };

  return {
    label: 'naive tfjs (tfjs-core ops, one-hot embedding, tf.variableGrads, hand-written AdamW)',
    async epoch() {
      const value = tf.tidy(() => {
        const { value: l, grads } = tf.variableGrads(loss, Object.values(params));
        adamW(grads);
        return l;
      });
      const out = (await value.data())[0]!;
      value.dispose();
      return out;
    },
    dispose() {
      for (const t of [...Object.values(params), ...Object.values(m), ...Object.values(v), tokens, labels, mask]) t.dispose();
    },
  };
}
