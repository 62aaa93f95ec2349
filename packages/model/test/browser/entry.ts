// Bundled for the browser (test/browser-backends.mjs): readies the backend named in the page's URL, then runs the
// checks of src/fixture.test.ts, src/gradients.test.ts and src/fast/one-layer.test.ts against the built package on
// it and leaves what it measured in `window.result` as JSON. The page measures; the Node side holds the tolerances.
// Every read-back is asynchronous (`await t.data()`): tfjs-webgpu's synchronous reads are not reliable in Chromium.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { maxRelError } from '../../src/test/max-rel-error';
import { createRng } from '@grokking/tasks';
import {
  createTransformer,
  decodeSafetensors,
  defineTransformerConfig,
  loadModel,
  loadStateDict,
  modularAdditionConfig,
  type HookedMlp,
  type HookedTransformer,
  type SafetensorsTensor,
  type StateDict,
  type TransformerConfig,
  type TransformerOptions,
} from '../../dist/index.js';

/** One measurement: `kind` picks the tolerance on the Node side (browser-backends.mjs). */
export interface Measurement {
  kind: 'pytorch' | 'pytorch-loss' | 'fused-logits' | 'fused-loss' | 'fused-grad' | 'b_K-closed-form' | 'path';
  name: string;
  error: number;
}

/** What the page reports. */
export interface BrowserReport {
  backend: string;
  /**
   * Whether tensors are stored as float32: WebGL falls back to 16-bit textures where 32-bit ones cannot be rendered
   * to (tfjs' `floatPrecision()` is no guide: it says 16 exactly when 32-bit rendering works); WebGPU is float32.
   */
  float32: boolean;
  measurements: Measurement[];
  leakedTensors: number;
  seconds: Record<string, number>;
}

/** The fixture names written by fixtures/make_fixture.py (as src/test/fixtures.ts lists them). */
const FIXTURES = ['ln-gelu-2l', 'modular-p7', 'attn-only-2l', 'mlp-p7'] as const;

const measurements: Measurement[] = [];
const record = (kind: Measurement['kind'], name: string, error: number) => measurements.push({ kind, name, error });

async function fixtureFile(name: string): Promise<Uint8Array> {
  const response = await fetch(`fixtures/${name}`);
  if (!response.ok) throw new Error(`fixtures/${name}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** A tensor against a fixture's: Infinity when the shapes differ. */
async function against(actual: tf.Tensor, expected: SafetensorsTensor): Promise<number> {
  if (actual.shape.join() !== expected.shape.join()) return Infinity;
  return maxRelError(await actual.data(), expected.data as Float32Array);
}

function intTensor(t: SafetensorsTensor): tf.Tensor {
  if (t.dtype !== 'I32') throw new Error(`expected I32, got ${t.dtype}`);
  return tf.tensor(t.data, t.shape, 'int32');
}

/** Mean cross-entropy of logits [batch, pos, vocab] against int32 targets [batch, pos] (as gradients.test.ts). */
function crossEntropy(logits: tf.Tensor3D, targets: tf.Tensor): tf.Scalar {
  const logProbs = tf.logSoftmax(logits); // [batch, pos, vocab]
  const onehot = tf.cast(tf.oneHot(targets as tf.Tensor2D, logits.shape[2]), 'float32'); // [batch, pos, vocab]
  return tf.neg(tf.mean(tf.sum(tf.mul(logProbs, onehot), -1))) as tf.Scalar;
}

/** fixture.test.ts and gradients.test.ts: logits, every hook, scored positions, the loss and every gradient. */
async function pytorchFixture(name: string): Promise<void> {
  const expected = decodeSafetensors(await fixtureFile(`${name}.expected.safetensors`)).tensors;
  const model = loadModel(await fixtureFile(`${name}.weights.safetensors`)) as HookedTransformer | HookedMlp;
  const tokens = intTensor(expected.tokens!) as tf.Tensor2D;
  const targets = intTensor(expected.targets!);

  const { logits, cache } = (model as HookedTransformer).runWithCache(tokens);
  record('pytorch', `${name}: logits`, await against(logits, expected.logits!));
  const hooks = Object.keys(expected).filter((k) => k.includes('hook_')).sort();
  const cached = (cache.names() as string[]).sort();
  if (cached.join() !== hooks.join()) record('pytorch', `${name}: hook names ${cached.join()} (PyTorch ${hooks.join()})`, Infinity);
  for (const hook of hooks) {
    record('pytorch', `${name}: ${hook}`, await against((cache as { get(n: string): tf.Tensor }).get(hook), expected[hook]!));
  }
  tf.dispose(logits);
  cache.dispose();

  if (model.kind === 'transformer') {
    // Scored positions give the full forward's logits there (one position takes the fused path where it applies).
    const [batch, nPos] = tokens.shape;
    const vocab = expected.logits!.shape[2]!;
    const full = expected.logits!.data as Float32Array;
    for (const positions of [[nPos - 1], [0, nPos - 1], [nPos - 1, 1, 2]]) {
      const scored = model.forward(tokens, positions);
      const want = new Float32Array(batch * positions.length * vocab);
      for (let b = 0; b < batch; b++) {
        positions.forEach((p, j) => want.set(full.subarray((b * nPos + p) * vocab, (b * nPos + p + 1) * vocab), (b * positions.length + j) * vocab));
      }
      record('pytorch', `${name}: logits at positions [${positions.join(', ')}]`, scored.shape.join() === [batch, positions.length, vocab].join()
        ? maxRelError(await scored.data(), want) : Infinity);
      scored.dispose();
    }
  }

  const params = model.params as Record<string, tf.Variable>;
  const { value, grads } = tf.variableGrads(() => crossEntropy((model as HookedTransformer).forward(tokens), targets), Object.values(params));
  record('pytorch-loss', `${name}: loss`, Math.abs((await value.data())[0]! - (expected.loss!.data as Float32Array)[0]!));
  for (const [paramName, variable] of Object.entries(params)) {
    const grad = grads[variable.name];
    record('pytorch', `${name}: gradient of ${paramName}`, grad ? await against(grad, expected[`grad.${paramName}`]!) : Infinity);
  }
  tf.dispose([value, tokens, targets, ...Object.values(grads)]);
  model.dispose();
}

// --- the fused one-layer path against the general path (one-layer.test.ts) ---

/** A model whose every parameter (biases too) is random, N(0, 0.5^2). */
function randomModel(config: TransformerConfig, seed: number): HookedTransformer {
  const model = createTransformer(config);
  const rng = createRng(seed);
  const dict: StateDict = {};
  for (const [name, v] of Object.entries(model.params)) {
    dict[name] = { shape: [...v.shape], data: Float32Array.from({ length: v.size }, () => 0.5 * rng.normal()) };
  }
  loadStateDict(model, dict);
  return model;
}

/** Random int32 tokens [batch, pos] anywhere in [0, dVocab): no x|y|= structure. */
function randomTokens(batch: number, pos: number, dVocab: number, seed: number): tf.Tensor2D {
  const rng = createRng(seed);
  return tf.tensor2d(Int32Array.from({ length: batch * pos }, () => rng.int(dVocab)), [batch, pos], 'int32');
}

/** A loss that weights every logit differently (so every logit gets its own gradient) plus a cross-entropy. */
function lossOf(logits: tf.Tensor3D, weights: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  const linear = tf.mean(tf.mul(logits, weights)); // weights [batch, 1, vocab]
  const logProbs = tf.logSoftmax(logits); // [batch, 1, vocab]
  const ce = tf.neg(tf.mean(tf.sum(tf.mul(logProbs, targets), -1))); // targets: one-hot [batch, 1, vocab]
  return tf.add(linear, ce) as tf.Scalar;
}

/** max |a - b| / max(max |b|, floor): an error relative to the tensor's scale. */
function scaledError(x: ArrayLike<number>, y: ArrayLike<number>, floor = 1e-12): number {
  if (x.length !== y.length) return Infinity;
  let diff = 0;
  let scale = floor;
  for (let i = 0; i < y.length; i++) {
    diff = Math.max(diff, Math.abs(x[i]! - y[i]!));
    scale = Math.max(scale, Math.abs(y[i]!));
  }
  return diff / scale;
}

interface HostRun {
  logits: Float32Array;
  loss: number;
  grads: Record<string, Float32Array>;
}

/** Forward + gradients with the fused path on or off, read back to the host. */
async function run(model: HookedTransformer, fast: boolean, tokens: tf.Tensor2D, q: number, weights: tf.Tensor, targets: tf.Tensor): Promise<HostRun> {
  model.fastPath = fast;
  const names = Object.keys(model.params);
  const logits = model.forward(tokens, [q]);
  const { value, grads } = tf.variableGrads(() => lossOf(model.forward(tokens, [q]), weights, targets), names.map((n) => model.params[n]!));
  try {
    const host: HostRun = { logits: (await logits.data()) as Float32Array, loss: (await value.data())[0]!, grads: {} };
    for (const n of names) host.grads[n] = (await grads[model.params[n]!.name]!.data()) as Float32Array;
    return host;
  } finally {
    tf.dispose([logits, value, ...Object.values(grads)]);
  }
}

const maxAbs = (a: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
};

/** The fused path against the general one at position q: logits, loss, every gradient and b_K's closed form. */
async function compare(label: string, model: HookedTransformer, tokens: tf.Tensor2D, q: number, weights: tf.Tensor, targets: tf.Tensor): Promise<void> {
  const fast = await run(model, true, tokens, q, weights, targets);
  const general = await run(model, false, tokens, q, weights, targets);
  record('fused-logits', `${label}: logits`, scaledError(fast.logits, general.logits));
  record('fused-loss', `${label}: loss`, Math.abs(fast.loss - general.loss) / Math.max(1, Math.abs(general.loss)));
  // Each gradient relative to its own scale or, for those that are zero in exact arithmetic (b_K), to 1% of the
  // largest gradient.
  const largest = Math.max(...Object.values(general.grads).map(maxAbs));
  let worst = 0;
  let worstName = '';
  for (const name of Object.keys(general.grads)) {
    const err = scaledError(fast.grads[name]!, general.grads[name]!, 0.01 * largest);
    if (!(err <= worst)) [worst, worstName] = [err, name];
  }
  record('fused-grad', `${label}: every gradient (worst: ${worstName})`, worst);
  // Shifting every key of a head by b_K leaves the softmax unchanged, so its gradient is 0: relative to the largest.
  record('b_K-closed-form', `${label}: |grad b_K| / largest gradient`, maxAbs(fast.grads['blocks.0.attn.b_K']!) / largest);
}

const SMALL: TransformerOptions = { nLayers: 1, dModel: 12, nHeads: 3, dMlp: 20, nCtx: 4, dVocab: 9, dVocabOut: 7 };

function inputs(batch: number, dVocabOut: number, seed: number): { weights: tf.Tensor3D; targets: tf.Tensor } {
  const rng = createRng(seed);
  const weights = tf.tensor3d(Float32Array.from({ length: batch * dVocabOut }, () => rng.normal()), [batch, 1, dVocabOut]);
  const targets = tf.tidy(() => tf.cast(tf.oneHot(randomTokens(batch, 1, dVocabOut, seed + 1), dVocabOut), 'float32')); // [batch, 1, vocab]
  return { weights, targets };
}

async function fusedAgainstGeneral(smallCases: boolean): Promise<void> {
  // The first and the last position of each case (each position is a new set of shapes to compile shaders for on
  // WebGL, ~2 s on SwiftShader; jest covers every position on cpu and wasm).
  const cases: Array<[string, TransformerOptions, number, number]> = !smallCases ? [] : [
    ['ReLU, full context', SMALL, 23, 4],
    ['GELU, full context', { ...SMALL, actFn: 'gelu' }, 17, 4],
    ['ReLU, shorter sequences', { ...SMALL, dHead: 5 }, 11, 3],
  ];
  for (const [label, options, batch, pos] of cases) {
    const config = defineTransformerConfig(options);
    const model = randomModel(config, 1);
    const tokens = randomTokens(batch, pos, config.dVocab, 2);
    const { weights, targets } = inputs(batch, config.dVocabOut, 3);
    for (const q of [0, pos - 1]) await compare(`${label}, q = ${q}`, model, tokens, q, weights, targets);
    tf.dispose([tokens, weights, targets]);
    model.dispose();
  }

  for (const actFn of smallCases ? ['relu', 'gelu'] as const : []) {
    // One token at the scored position (x|y|= data, scored at '=').
    const config = defineTransformerConfig({ ...SMALL, nCtx: 3, actFn });
    const model = randomModel(config, 11);
    const rng = createRng(12);
    const batch = 29;
    const eq = config.dVocab - 1;
    const tokens = tf.tensor2d(Int32Array.from({ length: batch * 3 }, (_, i) => (i % 3 === 2 ? eq : rng.int(eq))), [batch, 3], 'int32');
    const { weights, targets } = inputs(batch, config.dVocabOut, 13);
    await compare(`x|y|= ${actFn}, q = 2`, model, tokens, 2, weights, targets);
    tf.dispose([tokens, weights, targets]);
    model.dispose();
  }

  // The write-up's model (p = 113) with random weights, and which path ran: only the fused one gathers table rows
  // with GatherNd.
  const config = modularAdditionConfig(113, 0);
  const model = randomModel(config, 5);
  const tokens = randomTokens(40, 3, config.dVocab, 6);
  const { weights, targets } = inputs(40, config.dVocabOut, 7);
  await compare('p = 113', model, tokens, 2, weights, targets);
  const kernels = async (fastPath: boolean) => {
    model.fastPath = fastPath;
    const info = await tf.profile(() => model.forward(tokens, [2]));
    tf.dispose(info.result);
    return info.kernels.map((k) => k.name);
  };
  record('path', 'p = 113: the fused forward runs GatherNd (0 = yes)', (await kernels(true)).includes('GatherNd') ? 0 : 1);
  record('path', 'p = 113: the general forward does not (0 = right)', (await kernels(false)).includes('GatherNd') ? 1 : 0);
  tf.dispose([tokens, weights, targets]);
  model.dispose();
}

async function main(): Promise<BrowserReport> {
  const backend = new URLSearchParams(location.search).get('backend') ?? 'webgl';
  const info = await readyBackend(backend);
  const before = tf.memory().numTensors;
  const seconds: Record<string, number> = {};
  let start = performance.now();
  for (const name of FIXTURES) await pytorchFixture(name);
  seconds['PyTorch fixtures'] = (performance.now() - start) / 1000;
  start = performance.now();
  // On WebGL only the write-up's model: each comparison costs ~11 s of shader compiles on SwiftShader, and the small
  // cases' shapes are compared on webgpu here and on cpu and wasm in jest.
  await fusedAgainstGeneral(info.active !== 'webgl');
  seconds['fused vs general'] = (performance.now() - start) / 1000;
  return {
    backend: info.active, float32: info.active !== 'webgl' || (tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED') && !tf.env().getBool('WEBGL_FORCE_F16_TEXTURES')), measurements,
    leakedTensors: tf.memory().numTensors - before, seconds,
  };
}

main().then(
  (report) => { (window as unknown as { result: unknown }).result = report; },
  (err: unknown) => { (window as unknown as { result: unknown }).result = { error: String((err as Error).stack ?? err) }; },
);
