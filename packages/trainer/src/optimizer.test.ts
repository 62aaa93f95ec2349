import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { ADAM_STEP } from '@grokking/wasm-kernels';
import { createOptimizer, resolveOptimizerConfig, type OptimizerConfig } from './optimizer';

// Gradients fed to three successive steps of a 4-element parameter starting at P0.
const P0 = [0.5, -1.5, 2.0, 0.0];
const GRADS = [
  [0.3, -0.2, 1e-3, -4.0],
  [-0.1, 0.5, 2.0, 0.25],
  [0.7, 0.0, -1.0, 3.0],
];

// Reference trajectories from PyTorch 1.13.1 (torch.optim, float32 parameters), produced by this script:
//   p = torch.nn.Parameter(torch.tensor([0.5, -1.5, 2.0, 0.0])); opt = <optimiser>([p])
//   sched = LambdaLR(opt, lambda s: min(s / warm, 1) if warm else 1)
//   for g in GRADS: p.grad = torch.tensor(g); opt.step(); sched.step(); print(p)
const TORCH: Record<string, { config: OptimizerConfig; after: number[][] }> = {
  'AdamW(lr=0.01, weight_decay=1, betas=(0.9, 0.98))': {
    config: { name: 'adamw', lr: 0.01, weightDecay: 1, betas: [0.9, 0.98], warmupSteps: 0 },
    after: [
      [0.48500001430511475, -1.475000023841858, 1.970000147819519, 0.010000001639127731],
      [0.4761323630809784, -1.4646568298339844, 1.942891001701355, 0.01615297980606556],
      [0.46432173252105713, -1.4534333944320679, 1.9211777448654175, 0.016010653227567673],
    ],
  },
  'AdamW(lr=0.01, weight_decay=1) with LambdaLR warm-up min(s/2, 1)': {
    config: { name: 'adamw', lr: 0.01, weightDecay: 1, betas: [0.9, 0.98], warmupSteps: 2 },
    after: [
      [0.5, -1.5, 2.0, 0.0],
      [0.4954911768436432, -1.4947035312652588, 1.9862953424453735, 0.0031264889985322952],
      [0.48348695039749146, -1.4831795692443848, 1.9641480445861816, 0.0031144272070378065],
    ],
  },
  'Adam(lr=0.01, weight_decay=0.5, betas=(0.9, 0.98))': {
    config: { name: 'adam', lr: 0.01, weightDecay: 0.5, betas: [0.9, 0.98], warmupSteps: 0 },
    after: [
      [0.49000000953674316, -1.4900000095367432, 1.9900000095367432, 0.010000001639127731],
      [0.4815879166126251, -1.4816174507141113, 1.9808540344238281, 0.016243144869804382],
      [0.4728127419948578, -1.4725980758666992, 1.973769187927246, 0.016246186569333076],
    ],
  },
  'SGD(lr=0.1, momentum=0.9, weight_decay=0.5)': {
    config: { name: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0.5, warmupSteps: 0 },
    after: [
      [0.4449999928474426, -1.4049999713897705, 1.899899959564209, 0.4000000059604645],
      [0.38324999809265137, -1.2992500066757202, 1.5148149728775024, 0.7149999737739563],
      [0.23851248621940613, -1.1391124725341797, 1.192497730255127, 0.6627499461174011],
    ],
  },
  'SGD(lr=0.1, momentum=0.9, nesterov=True)': {
    config: { name: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true, warmupSteps: 0 },
    after: [
      [0.4429999887943268, -1.4620000123977661, 1.999809980392456, 0.7599999904632568],
      [0.43769997358322144, -1.5407999753952026, 1.6197290420532227, 1.0364999771118164],
      [0.29092997312545776, -1.5667200088500977, 1.6476562023162842, 0.7378499507904053],
    ],
  },
};

/** A variable holding `values`, without leaving the initial tensor behind. */
function variableOf(values: number[]): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor1d(values)));
}

function expectClose(actual: ArrayLike<number>, expected: readonly number[], relTol: number): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => {
    const a = actual[i]!;
    expect(Math.abs(a - e)).toBeLessThanOrEqual(relTol * Math.max(1, Math.abs(e)));
  });
}

describe.each(['cpu', 'wasm'])('optimisers on %s', (backend) => {
  beforeAll(async () => {
    await readyBackend(backend, { threads: 1 });
  });

  it('takes one AdamW step equal to the hand-computed update', () => {
    // First step, t = 1: m = (1 - b1) g and v = (1 - b2) g^2, so the bias-corrected ratio is g / (|g| + eps) and
    // p1 = p0 (1 - lr wd) - lr g / (|g| + eps), whatever the betas.
    const lr = 0.01, wd = 1, eps = 1e-8;
    const w = variableOf(P0);
    const opt = createOptimizer({ w }, { name: 'adamw', lr, weightDecay: wd, betas: [0.9, 0.98], eps, warmupSteps: 0 });
    const g = tf.tensor1d(GRADS[0]!);
    opt.apply({ w: g });
    const expected = P0.map((p, i) => {
      const gi = GRADS[0]![i]!;
      return p * (1 - lr * wd) - (lr * gi) / (Math.abs(gi) + eps);
    });
    expectClose(w.dataSync(), expected, 1e-6);
    expect(opt.step).toBe(1);
    // The moment estimates hold (1 - b1) g and (1 - b2) g^2.
    expectClose(opt.slots()['m.w']!.dataSync(), GRADS[0]!.map((x) => 0.1 * x), 1e-6);
    expectClose(opt.slots()['v.w']!.dataSync(), GRADS[0]!.map((x) => 0.02 * x * x), 1e-6);
    tf.dispose([w, g]);
    opt.dispose();
  });

  it.each(Object.keys(TORCH))('follows PyTorch over three steps: %s', (label) => {
    const { config, after } = TORCH[label]!;
    const before = tf.memory().numTensors;
    const w = variableOf(P0);
    const opt = createOptimizer({ w }, config);
    GRADS.forEach((gArr, t) => {
      const g = tf.tensor1d(gArr);
      opt.apply({ w: g });
      g.dispose();
      expectClose(w.dataSync(), after[t]!, 2e-6);
    });
    opt.dispose();
    w.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('takes Adam steps through the fused kernel on wasm only', async () => {
    const w = variableOf(P0);
    const opt = createOptimizer({ w }, { name: 'adamw', lr: 0.01, weightDecay: 1 });
    const g = tf.tensor1d(GRADS[0]!);
    const info = await tf.profile(() => opt.apply({ w: g }));
    expect(info.kernels.some((k) => k.name === ADAM_STEP)).toBe(backend === 'wasm');
    tf.dispose([w, g]);
    opt.dispose();
  });

  it('restores its state so the next steps match an uninterrupted optimiser', () => {
    const cfg: OptimizerConfig = { name: 'adamw', lr: 0.01, weightDecay: 1, warmupSteps: 2 };
    const a = variableOf(P0);
    const optA = createOptimizer({ a }, cfg);
    for (const g of GRADS) tf.tidy(() => optA.apply({ a: tf.tensor1d(g) }));

    const b = variableOf(P0);
    const optB = createOptimizer({ b }, cfg);
    tf.tidy(() => optB.apply({ b: tf.tensor1d(GRADS[0]!) }));
    // Copy B's state into a fresh optimiser C over a copy of b, as a checkpoint would.
    const c = variableOf(Array.from(b.dataSync()));
    const optC = createOptimizer({ b: c }, cfg);
    optC.restore(optB.step, optB.slots());
    for (const g of GRADS.slice(1)) tf.tidy(() => optC.apply({ b: tf.tensor1d(g) }));
    expect(Array.from(c.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(optC.step).toBe(3);
    [optA, optB, optC].forEach((o) => o.dispose());
    tf.dispose([a, b, c]);
  });

  it('rejects bad settings, naming the value', () => {
    expect(() => resolveOptimizerConfig({ lr: -1 })).toThrow('lr must be a finite number >= 0, got -1');
    expect(() => resolveOptimizerConfig({ lr: Infinity })).toThrow('got Infinity');
    expect(() => resolveOptimizerConfig({ betas: [0.9, 1] })).toThrow('betas must be two numbers in [0, 1), got [0.9,1]');
    expect(() => resolveOptimizerConfig({ name: 'lion' as never })).toThrow('got "lion"');
    expect(() => resolveOptimizerConfig({ name: 'sgd', nesterov: true })).toThrow('nesterov needs momentum > 0');
    expect(() => resolveOptimizerConfig({ warmupSteps: 1.5 })).toThrow('warmupSteps must be a non-negative integer, got 1.5');
    expect(resolveOptimizerConfig({})).toEqual({
      name: 'adamw', lr: 1e-3, weightDecay: 1, betas: [0.9, 0.98], eps: 1e-8, momentum: 0, nesterov: false, warmupSteps: 10,
    });
    const w = variableOf([0, 0]);
    const opt = createOptimizer({ w });
    expect(() => tf.tidy(() => opt.apply({ u: tf.zeros([2]) }))).toThrow('gradient for u, which is not a parameter');
    opt.apply({}); // no gradient: w is left as it is
    expect(Array.from(w.dataSync())).toEqual([0, 0]);
    expect(() => opt.restore(1, {})).toThrow('optimizer state m.w missing');
    opt.dispose();
    w.dispose();
  });
});
