// The binary operations of the modular arithmetic tasks: each maps (x, y) in [0, p)² to a label in [0, p).
import { isPrime, show } from './validate';

/** A named operation, or a function (x, y, p) => integer whose value is taken mod p (negative values allowed). */
export type ModularOperation =
  | 'add'
  | 'subtract'
  | 'multiply'
  | 'divide'
  | 'x2+y2'
  | 'x2+xy+y2'
  | ((x: number, y: number, p: number) => number);

/**
 * The named operations, in the order of {@link ModularOperation}.
 *
 * @example
 * modularOperationNames.includes('divide'); // true
 */
export const modularOperationNames = ['add', 'subtract', 'multiply', 'divide', 'x2+y2', 'x2+xy+y2'] as const;

/** The task name and the formula of each named operation (the formula labels the scored slot). */
const descriptions: Record<(typeof modularOperationNames)[number], { name: string; formula: string }> = {
  add: { name: 'modular-addition', formula: 'x+y' },
  subtract: { name: 'modular-subtraction', formula: 'x-y' },
  multiply: { name: 'modular-multiplication', formula: 'x*y' },
  divide: { name: 'modular-division', formula: 'x/y' },
  'x2+y2': { name: 'modular-x2+y2', formula: 'x^2+y^2' },
  'x2+xy+y2': { name: 'modular-x2+xy+y2', formula: 'x^2+xy+y^2' },
};

/** A resolved operation: its task name, formula and label function. */
export interface ResolvedOperation {
  name: string;
  formula: string;
  /** Whether y = 0 is excluded (division). */
  excludesZeroY: boolean;
  label(x: number, y: number): number;
}

/** Modular inverses of 1..p-1 (p prime), by inv[i] = -(p div i) · inv[p mod i] mod p; products stay below p² < 2^31. */
function inverses(p: number): Int32Array {
  const inv = new Int32Array(p);
  inv[1] = 1;
  for (let i = 2; i < p; i++) inv[i] = ((p - Math.floor(p / i)) * inv[p % i]!) % p;
  return inv;
}

/**
 * Resolves an operation for modulus p, checking that p allows it (division needs p prime). Arithmetic is exact
 * because p ≤ 46340 keeps every intermediate (at most 3p²) far below 2^53.
 */
export function resolveOperation(operation: unknown, p: number): ResolvedOperation {
  if (typeof operation === 'function') {
    const fn = operation as (x: number, y: number, p: number) => number;
    return {
      name: 'modular-custom',
      formula: 'f(x,y)',
      excludesZeroY: false,
      label(x, y) {
        const value = fn(x, y, p);
        if (!Number.isSafeInteger(value)) {
          throw new Error(`operation(${x}, ${y}, ${p}) must return a safe integer, got ${show(value)}`);
        }
        return ((value % p) + p) % p;
      },
    };
  }
  if (!modularOperationNames.includes(operation as never)) {
    throw new Error(
      `operation must be one of ${modularOperationNames.join(', ')} or a function (x, y, p) => integer, got ${show(operation)}`,
    );
  }
  const op = operation as (typeof modularOperationNames)[number];
  const { name, formula } = descriptions[op];
  const base = { name, formula, excludesZeroY: false };
  switch (op) {
    case 'add':
      return { ...base, label: (x, y) => (x + y) % p };
    case 'subtract':
      return { ...base, label: (x, y) => (x - y + p) % p };
    case 'multiply':
      return { ...base, label: (x, y) => (x * y) % p };
    case 'x2+y2':
      return { ...base, label: (x, y) => (x * x + y * y) % p };
    case 'x2+xy+y2':
      return { ...base, label: (x, y) => (x * x + x * y + y * y) % p };
    case 'divide': {
      if (!isPrime(p)) throw new Error(`p must be prime for modular division, got ${p}`);
      const inv = inverses(p);
      return {
        ...base,
        excludesZeroY: true,
        label(x, y) {
          if (y === 0) throw new Error(`y must be in [1, ${p - 1}] for modular division, got 0`);
          return (x * inv[y]!) % p;
        },
      };
    }
  }
}
