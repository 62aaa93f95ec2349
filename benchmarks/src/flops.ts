import { derivedSizes, type Formulation, type SeedRun } from './setup';

/** One matmul of the model: [m, k] @ [k, n], costing 2·m·k·n floating-point operations forward. */
export interface MatmulCount {
  name: string;
  m: number;
  k: number;
  n: number;
}

/**
 * The matmuls of one forward pass of the 1-layer model over the full batch (B examples, P query positions: 3 for
 * `all`, 1 for `last`; keys and values always at all 3 positions). Embedding lookups, softmax, ReLU, biases and the
 * optimiser are left out: they are O(elements), not O(elements × width).
 */
export function forwardMatmuls(run: SeedRun, formulation: Formulation): MatmulCount[] {
  const { dVocabOut, nCtx, dHead, batch: B } = derivedSizes(run);
  const d = run.dModel;
  const hd = run.nHeads * dHead;
  const P = formulation === 'all' ? nCtx : 1;
  return [
    { name: 'Q = x W_Q', m: B * P, k: d, n: hd },
    { name: 'K = x W_K', m: B * nCtx, k: d, n: hd },
    { name: 'V = x W_V', m: B * nCtx, k: d, n: hd },
    { name: 'scores = Q Kᵀ', m: B * run.nHeads * P, k: dHead, n: nCtx },
    { name: 'z = pattern V', m: B * run.nHeads * P, k: nCtx, n: dHead },
    { name: 'z W_O', m: B * P, k: hd, n: d },
    { name: 'resid_mid W_in', m: B * P, k: d, n: run.dMlp },
    { name: 'post W_out', m: B * P, k: run.dMlp, n: d },
    { name: 'resid_post W_U', m: B * P, k: d, n: dVocabOut },
  ];
}

/**
 * Floating-point operations of one training epoch: forward F = Σ 2·m·k·n over {@link forwardMatmuls}; backward 2F
 * (each matmul's two input gradients, each as costly as the forward product; every input needs one, since gradients
 * flow back to W_E and W_pos); total 3F.
 *
 * @example
 * epochFlops(SEED_RUN, 'last').total; // ≈ 6.4e9
 */
export function epochFlops(run: SeedRun, formulation: Formulation): { forward: number; total: number } {
  const forward = forwardMatmuls(run, formulation).reduce((s, { m, k, n }) => s + 2 * m * k * n, 0);
  return { forward, total: 3 * forward };
}
