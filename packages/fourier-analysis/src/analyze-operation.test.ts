// Re-indexing by the operation's group and analyzeModularOperation, on ideal tables built in the group's coordinates
// by brute force: logits Σ α cos(w(a+b-c)) with a, b, c the group indices (x-y for subtraction, log x ± log y for
// multiplication and division) must be recovered with all variance explained, for p = 7, 11, 13.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { analyzeModularOperation } from './analyze-operation';
import { fitCosXPlusYMinusZ } from './logits';
import { GROUP_OPERATIONS, discreteLogs, operationGroup, primitiveRoot, type GroupOperation } from './operation-group';
import { groupIndexOrder, groupInputOrder, reindexInputs, reindexOutputs } from './reindex';
import { cosW, noLeak, sinW } from './test-fixtures';

beforeAll(async () => {
  await readyBackend('cpu');
});

/** The key frequencies (a minority of each group's) and their α, per group size m. */
const KEYS: Record<number, Map<number, number>> = {
  6: new Map([[1, 2]]),
  7: new Map([[2, 2]]),
  10: new Map([[2, 2], [3, 1]]),
  11: new Map([[1, 2], [4, 1]]),
  12: new Map([[1, 2], [5, 1.5]]),
  13: new Map([[3, 1], [5, 2]]),
};

/**
 * An ideal model of x ∘ y mod p built by brute force, over the task's pairs (x-major; y = 0 left out for divide): the
 * group index of a residue is computed here from its definition (powers of g found by search, y negated for
 * subtract and divide), not by operationGroup.
 */
function idealModel(p: number, operation: GroupOperation) {
  const logSpace = operation === 'multiply' || operation === 'divide';
  const m = logSpace ? p - 1 : p;
  const power = (a: number) => Array.from({ length: a }).reduce<number>((v) => (v * primitiveRoot(p)) % p, 1);
  const logOf = (r: number) => (r === 0 ? -1 : Array.from({ length: p - 1 }, (_, a) => a).find((a) => power(a) === r)!);
  const a = (x: number) => (logSpace ? logOf(x) : x);
  const b = (y: number) => {
    const i = logSpace ? logOf(y) : y;
    if (i < 0) return -1;
    return operation === 'subtract' || operation === 'divide' ? (m - i) % m : i;
  };
  const c = (z: number) => (logSpace ? logOf(z) : z);
  const keys = KEYS[m]!;
  const xs: number[] = [];
  const ys: number[] = [];
  const logits: number[] = [];
  for (let x = 0; x < p; x++) {
    for (let y = operation === 'divide' ? 1 : 0; y < p; y++) {
      xs.push(x);
      ys.push(y);
      for (let z = 0; z < p; z++) {
        if (a(x) < 0 || b(y) < 0) logits.push(Math.sin(7 * x + 3 * y + z)); // outside the group: left out, any value
        else if (c(z) < 0) logits.push(-3); // the answer 0 is no group element: a constant column
        else logits.push([...keys].reduce((s, [w, alpha]) => s + alpha * cosW(m, w, a(x) + b(y) - c(z)), 0.2 * x));
      }
    }
  }
  // W_E [p + 1, 2 per frequency]: the key frequencies' waves in x's group index with amplitude 1, the others 0.05.
  const W_E: number[] = [];
  for (let t = 0; t <= p; t++) {
    for (let w = 1; w <= Math.floor(m / 2); w++) {
      const amp = keys.has(w) ? 1 : 0.05;
      const i = t < p ? a(t) : -1;
      W_E.push(i < 0 ? 0.3 : amp * cosW(m, w, i), i < 0 ? 0.3 : amp * sinW(m, w, i));
    }
  }
  return {
    m,
    keys: [...keys.keys()],
    alphas: [...keys.values()],
    xs,
    ys,
    logits: tf.tensor2d(logits, [xs.length, p]),
    W_E: tf.tensor2d(W_E, [p + 1, 2 * Math.floor(m / 2)]),
  };
}

const cases = [7, 11, 13].flatMap((p) => (['subtract', 'multiply', 'divide'] as const).map((op) => [p, op] as const));

describe('analyzeModularOperation', () => {
  it.each(cases)('p = %i, %s: finds the key frequencies and explains all of the ideal logits\' variance', (p, operation) => {
    const model = idealModel(p, operation);
    const analysis = noLeak(() => analyzeModularOperation({ p, operation, xs: model.xs, ys: model.ys, W_E: model.W_E, logits: model.logits }));
    expect(analysis.p).toBe(model.m);
    expect(analysis.group.m).toBe(model.m);
    expect(analysis.keyFrequencySource).toBe('embedding');
    expect(analysis.keyFrequencies).toEqual(model.keys);
    const fit = analysis.logits!.fit;
    expect(fit.freqs).toEqual(model.keys);
    fit.alphas.forEach((alpha, i) => expect(alpha).toBeCloseTo(model.alphas[i]!, 4));
    expect(fit.fractionOfVarianceExplained).toBeCloseTo(1, 5);

    // Read as addition mod p (over all p² pairs: not division), the same logits are not Σ α cos(w(x+y-z)): the
    // re-indexing is what finds them.
    if (operation !== 'divide') expect(fitCosXPlusYMinusZ(model.logits, p).fractionOfVarianceExplained).toBeLessThan(0.6);
    tf.dispose([model.logits, model.W_E]);
  });

  it('leaves addition as it is: the group of add is Z_p with identity indices', () => {
    const p = 7;
    const group = operationGroup(p, 'add');
    const xs = Array.from({ length: p * p }, (_, i) => Math.floor(i / p));
    const ys = Array.from({ length: p * p }, (_, i) => i % p);
    expect([...groupInputOrder(group, xs, ys)]).toEqual(Array.from({ length: p * p }, (_, i) => i));
    expect([...groupIndexOrder(group.z, p + 1)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(GROUP_OPERATIONS).toContain('add');
  });
});

describe('re-indexing', () => {
  it('puts the inputs of multiply mod 7 on the log grid and the answers in powers of 3, then 0', () => {
    const p = 7;
    const group = operationGroup(p, 'multiply');
    const log = discreteLogs(p, 3);
    const xs = Array.from({ length: p * p }, (_, i) => Math.floor(i / p));
    const ys = Array.from({ length: p * p }, (_, i) => i % p);
    const order = groupInputOrder(group, xs, ys);
    order.forEach((row, cell) => {
      expect(log[xs[row]!]).toBe(Math.floor(cell / 6));
      expect(log[ys[row]!]).toBe(cell % 6);
    });
    expect([...groupIndexOrder(group.z, 8)]).toEqual([1, 3, 2, 6, 4, 5, 0, 7]);
    const t = tf.tensor2d(Array.from({ length: p * p * 8 }, (_, i) => i), [p * p, 8]);
    const grid = noLeak(() => tf.tidy(() => reindexOutputs(reindexInputs(t, group, xs, ys), group)));
    expect(grid.shape).toEqual([36, 8]);
    const values = grid.arraySync() as number[][];
    expect(values[1]![0]).toBe(order[1]! * 8 + 1); // cell (0, 1), answer column 3^0 = 1
    expect(values[1]![6]).toBe(order[1]! * 8 + 0); // the answer 0 after the group's
    tf.dispose([t, grid]);
  });

  it('names inputs that miss a cell or repeat one', () => {
    const group = operationGroup(5, 'subtract'); // y's index is -y: the first missing cell (0, 1) is the input (0, 4)
    expect(() => groupInputOrder(group, [0, 1], [0, 1])).toThrow(/no input \(0, 4\) of subtract mod 5: the group grid needs every pair/);
    expect(() => groupInputOrder(group, [0, 0], [2, 2])).toThrow(/inputs 0 and 1 are both \(0, 2\)/);
    expect(() => groupInputOrder(group, [0], [5])).toThrow(/input 0 is \(0, 5\); expected residues in \[0, 4\]/);
  });
});
