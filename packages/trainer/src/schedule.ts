// Linear learning-rate warm-up, matching the write-up's PyTorch code:
//   scheduler = LambdaLR(optimizer, lambda step: min(step / 10, 1)); ... optimizer.step(); scheduler.step()
// LambdaLR evaluates the lambda at 0 when it is built, so the FIRST optimiser step runs at lr * 0 (no movement: AdamW
// also scales weight decay by lr, though Adam's moments and step count still advance), the second at lr * 0.1, and
// from the eleventh step on at the full lr. `step` below counts the steps already taken (0 for the first one).

/**
 * The warm-up factor for an optimiser step: `min(step / warmupSteps, 1)`, or 1 when there is no warm-up.
 *
 * @param step - optimiser steps already taken before this one (0 for the first step)
 * @param warmupSteps - length of the warm-up, 0 for none
 *
 * @example
 * warmupFactor(0, 10); // 0    (the first step does not move the weights, as in the write-up's code)
 * warmupFactor(3, 10); // 0.3
 * warmupFactor(25, 10); // 1
 */
export function warmupFactor(step: number, warmupSteps: number): number {
  if (!Number.isInteger(step) || step < 0) throw new Error(`step must be a non-negative integer, got ${step}`);
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0) {
    throw new Error(`warmupSteps must be a non-negative integer, got ${warmupSteps}`);
  }
  return warmupSteps === 0 ? 1 : Math.min(step / warmupSteps, 1);
}

/**
 * The learning rate used by an optimiser step: `lr * warmupFactor(step, warmupSteps)`.
 *
 * @example
 * learningRateAt(5, 1e-3, 10); // 5e-4
 */
export function learningRateAt(step: number, lr: number, warmupSteps: number): number {
  return lr * warmupFactor(step, warmupSteps);
}
