// AdamW, Adam and SGD with momentum, with PyTorch's update rules (torch.optim, single-tensor path), written on tf ops
// and applied in place with `variable.assign`. tfjs' own AdamOptimizer is not AdamW (no decoupled weight decay) and
// folds bias correction into the step differently, so we do not use it.
//
// Per parameter p with gradient g, at step t (1-based) with scheduled learning rate lr_t:
//   AdamW: p <- p * (1 - lr_t * wd); m <- b1 m + (1 - b1) g; v <- b2 v + (1 - b2) g^2;
//          p <- p - (lr_t / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
//   Adam:  as AdamW but with L2 weight decay in the gradient (g <- g + wd p) and no decoupled decay.
//   SGD:   g <- g + wd p; buf <- g on the first step, else momentum * buf + g; g <- nesterov ? g + momentum buf : buf;
//          p <- p - lr_t g
import * as tf from '@tensorflow/tfjs-core';
import { adamStep, adamStepAvailable } from '@grokking/wasm-kernels';
import { learningRateAt } from './schedule';

/** The optimisers the trainer provides. */
export type OptimizerName = 'adamw' | 'adam' | 'sgd';

/** Optimiser settings; anything left out takes the default shown. */
export interface OptimizerConfig {
  /** Which update rule. Default `'adamw'`. */
  name?: OptimizerName;
  /** Peak learning rate. Default 1e-3 (the write-up's). */
  lr?: number;
  /** Weight decay: decoupled for AdamW, L2 (added to the gradient) for Adam and SGD. Default 1 for AdamW, else 0. */
  weightDecay?: number;
  /** Adam's (beta1, beta2). Default [0.9, 0.98] (the write-up's). */
  betas?: [number, number];
  /** Adam's epsilon, added to the bias-corrected sqrt(v). Default 1e-8 (PyTorch's). */
  eps?: number;
  /** SGD momentum. Default 0. */
  momentum?: number;
  /** SGD Nesterov momentum. Default false. */
  nesterov?: boolean;
  /** Linear warm-up length in optimiser steps: lr_t = lr * min(t / warmupSteps, 1), t from 0. Default 10. */
  warmupSteps?: number;
}

/** Optimiser settings with every default filled in. */
export type ResolvedOptimizerConfig = Required<OptimizerConfig>;

/** An optimiser bound to a set of named variables. */
export interface Optimizer {
  /** The settings it runs with. */
  readonly config: ResolvedOptimizerConfig;
  /** Optimiser steps taken so far. */
  readonly step: number;
  /**
   * Applies one update from gradients keyed like the parameters. A parameter without a gradient (it did not affect
   * the loss) is left untouched, as PyTorch skips parameters whose `grad` is None.
   */
  apply(grads: Readonly<Record<string, tf.Tensor>>): void;
  /** The state buffers, keyed `m.<param>` / `v.<param>` (Adam, AdamW) or `momentum.<param>` (SGD). */
  slots(): Readonly<Record<string, tf.Variable>>;
  /** Restores the step count and every state buffer (as saved from `step` and `slots()`). */
  restore(step: number, slots: Readonly<Record<string, tf.Tensor>>): void;
  /** Frees the state buffers. */
  dispose(): void;
}

/**
 * Fills in defaults and checks every setting, naming a bad value and the range expected.
 *
 * @example
 * resolveOptimizerConfig({ name: 'adamw' }).weightDecay; // 1
 * resolveOptimizerConfig({ name: 'adam' }).weightDecay; // 0
 */
export function resolveOptimizerConfig(config: OptimizerConfig = {}): ResolvedOptimizerConfig {
  const name = config.name ?? 'adamw';
  if (name !== 'adamw' && name !== 'adam' && name !== 'sgd') {
    throw new Error(`optimizer name must be one of adamw, adam, sgd, got ${JSON.stringify(name)}`);
  }
  const resolved: ResolvedOptimizerConfig = {
    name,
    lr: config.lr ?? 1e-3,
    weightDecay: config.weightDecay ?? (name === 'adamw' ? 1 : 0),
    betas: config.betas ?? [0.9, 0.98],
    eps: config.eps ?? 1e-8,
    momentum: config.momentum ?? 0,
    nesterov: config.nesterov ?? false,
    warmupSteps: config.warmupSteps ?? 10,
  };
  const { lr, weightDecay, betas, eps, momentum, warmupSteps } = resolved;
  if (!Number.isFinite(lr) || lr < 0) throw new Error(`lr must be a finite number >= 0, got ${lr}`);
  if (!Number.isFinite(weightDecay) || weightDecay < 0) {
    throw new Error(`weightDecay must be a finite number >= 0, got ${weightDecay}`);
  }
  if (betas.length !== 2 || betas.some((b) => !(b >= 0 && b < 1))) {
    throw new Error(`betas must be two numbers in [0, 1), got ${JSON.stringify(betas)}`);
  }
  if (!(eps > 0) || !Number.isFinite(eps)) throw new Error(`eps must be a finite number > 0, got ${eps}`);
  if (!(momentum >= 0 && momentum < 1)) throw new Error(`momentum must be in [0, 1), got ${momentum}`);
  if (resolved.nesterov && momentum === 0) throw new Error('nesterov needs momentum > 0, got momentum 0');
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0) {
    throw new Error(`warmupSteps must be a non-negative integer, got ${warmupSteps}`);
  }
  return { ...resolved, betas: [betas[0], betas[1]] };
}

/** Options of an optimiser over stacked parameters (see `trainStacked`). */
export interface StackedOptimizerOptions {
  /**
   * AdamW only: one decoupled weight decay per stacked model, in model order, instead of `config.weightDecay`. Every
   * parameter must then have a leading model axis of this length; model k's slice decays as a run with
   * `weightDecay: memberWeightDecay[k]` alone would.
   */
  memberWeightDecay?: readonly number[];
}

/**
 * Creates an optimiser over named variables, with zeroed state buffers.
 *
 * @example
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * const opt = createOptimizer({ w }, { name: 'adamw', lr: 1e-3, weightDecay: 1, warmupSteps: 0 });
 * const { grads } = tf.variableGrads(() => w.square().sum(), [w]);
 * opt.apply({ w: grads[w.name]! }); // w moves by about lr * (1 + wd * w) per element
 * tf.dispose(grads);
 */
export function createOptimizer(
  params: Readonly<Record<string, tf.Variable>>,
  config: OptimizerConfig = {},
  options: StackedOptimizerOptions = {},
): Optimizer {
  const cfg = resolveOptimizerConfig(config);
  const memberDecay = options.memberWeightDecay ? checkMemberDecay(options.memberWeightDecay, cfg, params) : null;
  const names = Object.keys(params).sort();
  const slotKinds = cfg.name === 'sgd' ? (cfg.momentum > 0 ? ['momentum'] : []) : ['m', 'v'];
  const slots: Record<string, tf.Variable> = {};
  for (const kind of slotKinds) {
    for (const name of names) {
      const p = params[name]!;
      const zeros = tf.zerosLike(p); // same shape as p
      slots[`${kind}.${name}`] = tf.variable(zeros, false, undefined, 'float32');
      zeros.dispose(); // the variable keeps its own reference to the data
    }
  }
  let step = 0;

  const apply = (grads: Readonly<Record<string, tf.Tensor>>): void => {
    for (const name of Object.keys(grads)) {
      if (!(name in params)) throw new Error(`gradient for ${name}, which is not a parameter of this optimizer`);
    }
    const lr = learningRateAt(step, cfg.lr, cfg.warmupSteps);
    step += 1;
    tf.tidy(() => {
      if (cfg.name === 'sgd') applySgd(lr);
      else applyAdam(lr);
    });

    function applyAdam(lrT: number): void {
      const [b1, b2] = cfg.betas;
      const decoupled = cfg.name === 'adamw';
      // Per-model decay (stacked AdamW): each model's slice is scaled by its own 1 - lr wd first, then steps undecayed.
      const weightDecay = memberDecay ? 0 : cfg.weightDecay;
      const memberFactors = memberDecay && tf.tensor1d(memberDecay.map((wd) => 1 - lrT * wd), 'float32'); // [K]
      const decay = tf.scalar(decoupled ? 1 - lrT * weightDecay : weightDecay);
      const b1s = tf.scalar(b1);
      const oneMinusB1 = tf.scalar(1 - b1);
      const b2s = tf.scalar(b2);
      const oneMinusB2 = tf.scalar(1 - b2);
      const stepSize = tf.scalar(lrT / (1 - b1 ** step));
      const bc2Sqrt = tf.scalar(Math.sqrt(1 - b2 ** step));
      const eps = tf.scalar(cfg.eps);
      // On wasm one kernel does each parameter's step, in the same float32 operations as the ops below.
      const fused = adamStepAvailable() ? {
        l2: decoupled ? 0 : weightDecay, decay: decoupled && weightDecay !== 0 ? 1 - lrT * weightDecay : 1,
        b1, b2, bc2Sqrt: Math.sqrt(1 - b2 ** step), eps: cfg.eps, stepSize: lrT / (1 - b1 ** step),
      } : null;
      for (const name of names) {
        if (!grads[name]) continue;
        const p = params[name]!;
        const m = slots[`m.${name}`]!;
        const v = slots[`v.${name}`]!;
        if (memberFactors) p.assign(tf.mul(p, tf.reshape(memberFactors, [-1, ...p.shape.slice(1).map(() => 1)]))); // [K, ...]
        if (fused) {
          const [p2, m2, v2] = adamStep(p, grads[name]!, m, v, fused);
          m.assign(m2);
          v.assign(v2);
          p.assign(p2);
          continue;
        }
        let g = grads[name]!;
        if (!decoupled && weightDecay !== 0) g = tf.add(g, tf.mul(p, decay)); // L2: g + wd p
        const decayed = decoupled && weightDecay !== 0 ? tf.mul(p, decay) : p; // p (1 - lr wd)
        m.assign(tf.add(tf.mul(m, b1s), tf.mul(g, oneMinusB1)));
        v.assign(tf.add(tf.mul(v, b2s), tf.mul(tf.mul(g, g), oneMinusB2)));
        const denom = tf.add(tf.div(tf.sqrt(v), bc2Sqrt), eps);
        p.assign(tf.sub(decayed, tf.mul(tf.div(m, denom), stepSize)));
      }
    }

    function applySgd(lrT: number): void {
      const lrS = tf.scalar(lrT);
      const mu = tf.scalar(cfg.momentum);
      const wd = tf.scalar(cfg.weightDecay);
      for (const name of names) {
        if (!grads[name]) continue;
        const p = params[name]!;
        let g = grads[name]!;
        if (cfg.weightDecay !== 0) g = tf.add(g, tf.mul(p, wd)); // L2: g + wd p
        if (cfg.momentum > 0) {
          const buf = slots[`momentum.${name}`]!;
          buf.assign(step === 1 ? g : tf.add(tf.mul(buf, mu), g)); // PyTorch starts the buffer at g
          g = cfg.nesterov ? tf.add(g, tf.mul(buf, mu)) : buf;
        }
        p.assign(tf.sub(p, tf.mul(g, lrS)));
      }
    }
  };

  const restore = (savedStep: number, saved: Readonly<Record<string, tf.Tensor>>): void => {
    if (!Number.isInteger(savedStep) || savedStep < 0) {
      throw new Error(`optimizer step must be a non-negative integer, got ${savedStep}`);
    }
    for (const key of Object.keys(slots)) {
      const t = saved[key];
      if (!t) throw new Error(`optimizer state ${key} missing from the saved state`);
      const slot = slots[key]!;
      if (!tf.util.arraysEqual(t.shape, slot.shape)) {
        throw new Error(`optimizer state ${key} has shape [${t.shape}], expected [${slot.shape}]`);
      }
    }
    tf.tidy(() => {
      for (const key of Object.keys(slots)) slots[key]!.assign(tf.cast(saved[key]!, 'float32'));
    });
    step = savedStep;
  };

  return {
    config: cfg,
    get step() {
      return step;
    },
    apply,
    slots: () => slots,
    restore,
    dispose: () => {
      for (const slot of Object.values(slots)) slot.dispose();
    },
  };
}

/** Checks per-model weight decays against the settings and the parameters' model axis; returns them. */
function checkMemberDecay(
  decays: readonly number[],
  cfg: ResolvedOptimizerConfig,
  params: Readonly<Record<string, tf.Variable>>,
): readonly number[] {
  if (cfg.name !== 'adamw') throw new Error(`a weight decay per model needs the adamw optimizer, got ${cfg.name}`);
  if (!Array.isArray(decays) || decays.length === 0) throw new Error(`memberWeightDecay must be a non-empty list, got ${JSON.stringify(decays)}`);
  decays.forEach((wd, k) => {
    if (typeof wd !== 'number' || !Number.isFinite(wd) || wd < 0) throw new Error(`memberWeightDecay[${k}] must be a finite number >= 0, got ${wd}`);
  });
  for (const [name, p] of Object.entries(params)) {
    if (p.rank < 1 || p.shape[0] !== decays.length) {
      throw new Error(`memberWeightDecay has ${decays.length} values, but parameter ${name} has shape [${p.shape}], not a leading axis of ${decays.length} models`);
    }
  }
  return [...decays];
}
