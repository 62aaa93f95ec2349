// The other modular operations as addition in a cyclic group, so that the Fourier toolkit of x+y applies unchanged.
// Each operation z = x ∘ y becomes c = a + b mod m after re-indexing the operands and the answer:
// - add:      a = x,        b = y,             c = z        in Z_p      (m = p)
// - subtract: a = x,        b = -y mod p,      c = z        in Z_p      (x - y = x + (-y))
// - multiply: a = log_g x,  b = log_g y,       c = log_g z  in Z_{p-1}  (x = g^a, y = g^b: xy = g^(a+b))
// - divide:   a = log_g x,  b = -log_g y,      c = log_g z  in Z_{p-1}  (x/y = g^(a-b))
// where g is a generator (primitive root) of the multiplicative group Z_p^* of a prime p: its powers g^0..g^(p-2) are
// every non-zero residue once, so log_g is a bijection from 1..p-1 onto Z_{p-1}. Zero has no logarithm: for
// multiply and divide the pairs with x = 0 or y = 0 (answer 0, or excluded y = 0) are left out of the group, and the
// answer 0 is no group element. The directions cos(w(a+b)), sin(w(a+b)) over the group are then the operation's:
// cos(w(x-y)) for subtraction, cos(2πw(log x + log y)/(p-1)) for multiplication, and so on.

/** The operations that are addition in a cyclic group after re-indexing. */
export const GROUP_OPERATIONS = Object.freeze(['add', 'subtract', 'multiply', 'divide'] as const);

/** One of {@link GROUP_OPERATIONS}. */
export type GroupOperation = (typeof GROUP_OPERATIONS)[number];

/** An operation written as c = a + b in Z_m, with the maps from residues to group indices. */
export interface OperationGroup {
  operation: GroupOperation;
  p: number;
  /** The group's size: p for add and subtract, p - 1 for multiply and divide. */
  m: number;
  /** The generator g of Z_p^* used for logarithms, or null for add and subtract. */
  generator: number | null;
  /** x[r]: the group index a of the residue r as the first operand, or -1 when r is left out (0 in multiply/divide). */
  x: Int32Array;
  /** y[r]: the group index b of the residue r as the second operand, or -1 when left out. */
  y: Int32Array;
  /** z[r]: the group index c of the answer r, or -1 when it is no group element. */
  z: Int32Array;
  /** What a + b is in the operation's terms, for labels: `x+y`, `x-y`, `log x + log y`, `log x - log y`. */
  formula: string;
}

/** Largest p for which g^k mod p is computed exactly in doubles (p² < 2^53). */
const MAX_P = 94906265;

function checkPrime(p: number, why: string): void {
  let prime = Number.isInteger(p) && p >= 2 && p <= MAX_P;
  for (let d = 2; prime && d * d <= p; d++) if (p % d === 0) prime = false;
  if (!prime) throw new Error(`p must be a prime in [2, ${MAX_P}] ${why}, got ${p}`);
}

/** b^e mod p by squaring (b, p < 2^26.5, so every product is exact). */
function powMod(b: number, e: number, p: number): number {
  let result = 1 % p;
  let base = b % p;
  for (let k = e; k > 0; k = Math.floor(k / 2)) {
    if (k % 2 === 1) result = (result * base) % p;
    base = (base * base) % p;
  }
  return result;
}

/**
 * The smallest primitive root of a prime p: the least g whose powers are every non-zero residue, found as the least
 * g with g^((p-1)/q) ≠ 1 mod p for every prime factor q of p - 1.
 *
 * @throws unless p is a prime.
 * @example
 * primitiveRoot(7); // 3: 3^0..3^5 = 1, 3, 2, 6, 4, 5
 * primitiveRoot(113); // 3
 */
export function primitiveRoot(p: number): number {
  checkPrime(p, 'for a primitive root');
  if (p === 2) return 1;
  const factors: number[] = [];
  let rest = p - 1;
  for (let d = 2; d * d <= rest; d++) {
    if (rest % d !== 0) continue;
    factors.push(d);
    while (rest % d === 0) rest /= d;
  }
  if (rest > 1) factors.push(rest);
  for (let g = 2; g < p; g++) if (factors.every((q) => powMod(g, (p - 1) / q, p) !== 1)) return g;
  throw new Error(`no primitive root found for p = ${p}`); // unreachable for a prime
}

/**
 * The discrete logarithms base g of the residues mod a prime p: log[x] = a with g^a ≡ x (mod p), a in 0..p-2, and
 * log[0] = -1 (zero has none).
 *
 * @throws unless p is a prime and g a generator of Z_p^*.
 * @example
 * discreteLogs(7, 3); // Int32Array [-1, 0, 2, 1, 4, 5, 3]
 */
export function discreteLogs(p: number, g: number): Int32Array {
  checkPrime(p, 'for discrete logarithms');
  const log = new Int32Array(p).fill(-1);
  let power = 1;
  for (let a = 0; a < p - 1; a++) {
    if (log[power] !== -1) throw new Error(`g must be a generator of Z_${p}^*, got ${g} (its powers repeat after ${a})`);
    log[power] = a;
    power = (power * g) % p;
  }
  return log;
}

/**
 * An operation mod p written as addition in Z_m (see the file header): the group size, the generator for
 * logarithms, and the maps from residues to group indices of the operands and the answer.
 *
 * @throws for an unknown operation, or multiply/divide with p not prime.
 * @example
 * const group = operationGroup(7, 'multiply'); // m 6, generator 3
 * (group.x[2] + group.y[4]) % group.m === group.z[(2 * 4) % 7]; // true
 */
export function operationGroup(p: number, operation: GroupOperation): OperationGroup {
  if (!GROUP_OPERATIONS.includes(operation)) throw new Error(`operation must be one of ${GROUP_OPERATIONS.join(', ')}, got ${JSON.stringify(operation)}`);
  if (!Number.isInteger(p) || p < 2) throw new Error(`p must be an integer >= 2, got ${p}`);
  const identity = Int32Array.from({ length: p }, (_, r) => r);
  const negate = (m: number, index: Int32Array) => index.map((a) => (a < 0 ? -1 : (m - a) % m));
  switch (operation) {
    case 'add':
      return { operation, p, m: p, generator: null, x: identity, y: identity.slice(), z: identity.slice(), formula: 'x+y' };
    case 'subtract':
      return { operation, p, m: p, generator: null, x: identity, y: negate(p, identity), z: identity.slice(), formula: 'x-y' };
    case 'multiply':
    case 'divide': {
      checkPrime(p, `for ${operation} through discrete logarithms`);
      if (p === 2) throw new Error('p must be at least 3 for multiply and divide through discrete logarithms (Z_1 has no frequencies), got 2');
      const generator = primitiveRoot(p);
      const log = discreteLogs(p, generator);
      const y = operation === 'multiply' ? log.slice() : negate(p - 1, log);
      return { operation, p, m: p - 1, generator, x: log, y, z: log.slice(), formula: operation === 'multiply' ? 'log x + log y' : 'log x - log y' };
    }
  }
}
