// A small seeded PRNG (xoshiro128**) whose state is four uint32 words, so runs are reproducible on every platform
// and a checkpoint can store and restore the generator exactly. Seeds are expanded with splitmix32.

/** The generator's full state: four uint32 words. */
export type RngState = [number, number, number, number];

/** A seeded random number generator with a serialisable state. */
export interface Rng {
  /** A uniform uint32. */
  nextUint32(): number;
  /** A uniform float in [0, 1) with 32 random bits. */
  next(): number;
  /** A uniform integer in [0, n), without modulo bias. */
  int(n: number): number;
  /** A standard normal sample (Box-Muller, one pair of uniforms per sample). */
  normal(): number;
  /** Shuffles an array in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T;
  /** A copy of the current state. */
  state(): RngState;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * Creates a generator from an integer seed (any safe integer; the low and high 32 bits are both used).
 *
 * @example
 * const rng = createRng(0);
 * rng.int(113); // the same value on every platform for seed 0
 */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be a safe integer; got ${seed}`);
  const lo = splitmix32(seed >>> 0);
  const hi = splitmix32(Math.floor(seed / 2 ** 32) ^ 0x5bd1e995);
  return rngFromState([(lo() ^ hi()) >>> 0, lo(), (lo() ^ hi()) >>> 0, (lo() | 1) >>> 0]);
}

/** Restores a generator from a state saved with `rng.state()`. */
export function rngFromState(state: readonly number[]): Rng {
  if (state.length !== 4 || state.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
    throw new Error(`rng state must be four uint32 words; got ${JSON.stringify(state)}`);
  }
  if (state.every((w) => w === 0)) throw new Error('rng state must not be all zeros');
  const s = Uint32Array.from(state);
  const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  };
  const next = () => nextUint32() / 2 ** 32;
  const int = (n: number): number => {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new Error(`int(n) needs an integer n in [1, 2^32]; got ${n}`);
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const r = nextUint32();
      if (r < limit) return r % n;
    }
  };
  const normal = (): number => {
    const u1 = 1 - next(); // (0, 1]: log stays finite
    const u2 = next();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  };
  const shuffle = <T extends { length: number; [i: number]: unknown }>(array: T): T => {
    for (let i = array.length - 1; i > 0; i--) {
      const j = int(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  };
  return { nextUint32, next, int, normal, shuffle, state: () => Array.from(s) as RngState };
}
