// Argument checks shared by every task. Each error names the argument, the value it got and what was allowed, so a
// CLI user who typed `--p 1.5` reads `p must be an integer >= 2, got 1.5`.

/** Formats a bad value for an error message: numbers as written (`NaN`, `1.5`), strings quoted, the rest as JSON. */
export function show(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Checks that `value` is an integer in [min, max] (max defaults to no limit) and returns it.
 *
 * @example
 * checkInteger('p', 113, 2); // 113
 * checkInteger('p', 1.5, 2); // throws "p must be an integer >= 2, got 1.5"
 */
export function checkInteger(name: string, value: unknown, min: number, max = Infinity, why = ''): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new Error(`${name} must be an integer ${range}${why}, got ${show(value)}`);
  }
  return value;
}

/**
 * Checks that `value` is a fraction in (0, 1] and returns it.
 *
 * @example
 * checkFraction('trainFraction', 0.3); // 0.3
 * checkFraction('trainFraction', 1.5); // throws "trainFraction must be in (0, 1], got 1.5"
 */
export function checkFraction(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && value <= 1)) {
    throw new Error(`${name} must be in (0, 1], got ${show(value)}`);
  }
  return value;
}

/**
 * Checks a split's options: an object whose keys are all allowed, with a safe-integer seed; returns the seed.
 *
 * @example
 * checkSplitOptions('modular-addition split options', { seed: 0 }, ['seed', 'trainFraction']); // 0
 */
export function checkSplitOptions(what: string, options: unknown, allowed: readonly string[]): number {
  if (typeof options !== 'object' || options === null) {
    throw new Error(`${what} must be an object with a seed, e.g. { seed: 0 }, got ${show(options)}`);
  }
  checkKeys(what, options, allowed);
  const seed = (options as { seed?: unknown }).seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new Error(`seed must be a safe integer, got ${show(seed)}`);
  }
  return seed;
}

/**
 * Checks that an options object has only the allowed keys (a misspelt option must not be silently ignored).
 *
 * @example
 * checkKeys('digitAddition options', { digits: 3 }, ['digits']); // fine
 * checkKeys('digitAddition options', { digit: 3 }, ['digits']); // throws, naming `digit` and the allowed keys
 */
export function checkKeys(what: string, options: object, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new Error(`${what}: unknown option ${JSON.stringify(key)}; allowed: ${allowed.join(', ')}`);
    }
  }
}

/**
 * Whether n is prime (trial division; n here is at most a few tens of thousands).
 *
 * @example
 * isPrime(113); // true
 * isPrime(111); // false (3 · 37)
 */
export function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}
