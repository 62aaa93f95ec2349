// Parameter names, shapes and initial values. Names and shapes are TransformerLens'; the initialisation is the
// write-up's code: weights normal with std 1/sqrt(d_model) (the unembed 1/sqrt(d_vocab_out)), biases zero,
// LayerNorm weight one. Values are drawn in JavaScript from the seeded PRNG, in the order listed, so every backend
// and platform starts from the same weights.
import { createRng } from '@grokking/tasks';
import type { MlpConfig, TransformerConfig } from './config';

/** One parameter: its name, shape and how it starts. */
export interface ParamSpec {
  name: string;
  shape: number[];
  /** `normal` draws N(0, std^2); `zeros` and `ones` are constant. */
  init: 'normal' | 'zeros' | 'ones';
  /** Standard deviation, for `normal`. */
  std?: number;
}

/**
 * A transformer's parameters, in TransformerLens' names and shapes:
 * `embed.W_E [d_vocab, d_model]`, `pos_embed.W_pos [n_ctx, d_model]`, per block `ln1.w/b [d_model]` (LN only),
 * `attn.W_Q/W_K/W_V [n_heads, d_model, d_head]`, `attn.W_O [n_heads, d_head, d_model]`, `attn.b_Q/b_K/b_V
 * [n_heads, d_head]`, `attn.b_O [d_model]`, `ln2.w/b` (LN, not attention-only), `mlp.W_in [d_model, d_mlp]`,
 * `mlp.b_in [d_mlp]`, `mlp.W_out [d_mlp, d_model]`, `mlp.b_out [d_model]` (not attention-only); then
 * `ln_final.w/b` (LN) and `unembed.W_U [d_model, d_vocab_out]`, `unembed.b_U [d_vocab_out]`.
 *
 * @example
 * transformerParamSpecs(config).find((p) => p.name === 'blocks.0.attn.W_Q')?.shape; // [4, 128, 32]
 */
export function transformerParamSpecs(config: TransformerConfig): ParamSpec[] {
  const { nLayers, dModel: d, nHeads: h, dHead: dh, dMlp, nCtx, dVocab, dVocabOut } = config;
  const ln = config.normalizationType === 'LN';
  const std = 1 / Math.sqrt(d);
  const specs: ParamSpec[] = [
    { name: 'embed.W_E', shape: [dVocab, d], init: 'normal', std },
    { name: 'pos_embed.W_pos', shape: [nCtx, d], init: 'normal', std },
  ];
  const lnSpecs = (prefix: string): ParamSpec[] => [
    { name: `${prefix}.w`, shape: [d], init: 'ones' },
    { name: `${prefix}.b`, shape: [d], init: 'zeros' },
  ];
  for (let i = 0; i < nLayers; i++) {
    const b = `blocks.${i}`;
    if (ln) specs.push(...lnSpecs(`${b}.ln1`));
    specs.push(
      { name: `${b}.attn.W_Q`, shape: [h, d, dh], init: 'normal', std },
      { name: `${b}.attn.W_K`, shape: [h, d, dh], init: 'normal', std },
      { name: `${b}.attn.W_V`, shape: [h, d, dh], init: 'normal', std },
      { name: `${b}.attn.W_O`, shape: [h, dh, d], init: 'normal', std },
      { name: `${b}.attn.b_Q`, shape: [h, dh], init: 'zeros' },
      { name: `${b}.attn.b_K`, shape: [h, dh], init: 'zeros' },
      { name: `${b}.attn.b_V`, shape: [h, dh], init: 'zeros' },
      { name: `${b}.attn.b_O`, shape: [d], init: 'zeros' },
    );
    if (!config.attnOnly) {
      if (ln) specs.push(...lnSpecs(`${b}.ln2`));
      specs.push(
        { name: `${b}.mlp.W_in`, shape: [d, dMlp], init: 'normal', std },
        { name: `${b}.mlp.b_in`, shape: [dMlp], init: 'zeros' },
        { name: `${b}.mlp.W_out`, shape: [dMlp, d], init: 'normal', std },
        { name: `${b}.mlp.b_out`, shape: [d], init: 'zeros' },
      );
    }
  }
  if (ln) specs.push(...lnSpecs('ln_final'));
  specs.push(
    { name: 'unembed.W_U', shape: [d, dVocabOut], init: 'normal', std: 1 / Math.sqrt(dVocabOut) },
    { name: 'unembed.b_U', shape: [dVocabOut], init: 'zeros' },
  );
  return specs;
}

/**
 * The MLP's parameters: `mlp.W_in [p, d_hidden]` (std 1/sqrt(p), fan-in), `mlp.b_in [d_hidden]`,
 * `mlp.W_out [d_hidden, p]` (std 1/sqrt(d_hidden)), `mlp.b_out [p]`.
 *
 * @example
 * mlpParamSpecs(defineMlpConfig({ p: 113 })).map((s) => s.name); // ['mlp.W_in', 'mlp.b_in', 'mlp.W_out', 'mlp.b_out']
 */
export function mlpParamSpecs(config: MlpConfig): ParamSpec[] {
  const { p, dHidden } = config;
  return [
    { name: 'mlp.W_in', shape: [p, dHidden], init: 'normal', std: 1 / Math.sqrt(p) },
    { name: 'mlp.b_in', shape: [dHidden], init: 'zeros' },
    { name: 'mlp.W_out', shape: [dHidden, p], init: 'normal', std: 1 / Math.sqrt(dHidden) },
    { name: 'mlp.b_out', shape: [p], init: 'zeros' },
  ];
}

/**
 * Draws initial values for the specs, in order, from `createRng(seed)` (row-major, one normal per element).
 *
 * @example
 * const values = initialValues(transformerParamSpecs(config), config.seed);
 * values['embed.W_E'].length; // d_vocab * d_model
 */
export function initialValues(specs: readonly ParamSpec[], seed: number): Record<string, Float32Array> {
  const rng = createRng(seed);
  const out: Record<string, Float32Array> = {};
  for (const spec of specs) {
    const data = new Float32Array(spec.shape.reduce((a, b) => a * b, 1));
    if (spec.init === 'ones') data.fill(1);
    else if (spec.init === 'normal') {
      const std = spec.std ?? 1;
      for (let i = 0; i < data.length; i++) data[i] = rng.normal() * std;
    }
    out[spec.name] = data;
  }
  return out;
}
