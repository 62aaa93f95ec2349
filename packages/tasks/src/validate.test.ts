import { checkFraction, checkInteger, checkKeys, checkSplitOptions, isPrime, show } from './validate';

describe('validation', () => {
  it('names the argument, its value and the allowed range', () => {
    expect(checkInteger('p', 113, 2)).toBe(113);
    expect(() => checkInteger('p', 1.5, 2)).toThrow('p must be an integer >= 2, got 1.5');
    expect(() => checkInteger('k', 11, 0, 10)).toThrow('k must be an integer in [0, 10], got 11');
    expect(() => checkInteger('k', Infinity, 0)).toThrow('k must be an integer >= 0, got Infinity');
    expect(() => checkInteger('k', null, 0)).toThrow('got null');
    expect(() => checkInteger('k', undefined, 0)).toThrow('got undefined');
    expect(checkFraction('trainFraction', 1)).toBe(1);
    expect(() => checkFraction('trainFraction', -0.1)).toThrow('trainFraction must be in (0, 1], got -0.1');
    expect(() => checkFraction('trainFraction', '0.3')).toThrow('trainFraction must be in (0, 1], got "0.3"');
    expect(() => checkKeys('x options', { a: 1, b: 2 }, ['a'])).toThrow('x options: unknown option "b"; allowed: a');
    expect(checkSplitOptions('s', { seed: -3 }, ['seed'])).toBe(-3);
    expect(() => checkSplitOptions('s', { seed: 2 ** 53 }, ['seed'])).toThrow('seed must be a safe integer, got 9007199254740992');
    expect(() => checkSplitOptions('s', {}, ['seed'])).toThrow('seed must be a safe integer, got undefined');
    expect(show([1, 2])).toBe('[1,2]');
    expect(show(() => 1)).toBe('a function');
  });

  it('finds exactly the primes below 200 (against a sieve)', () => {
    const composite = new Uint8Array(200);
    for (let i = 2; i < 200; i++) for (let j = i * i; j < 200; j += i) composite[j] = 1;
    for (let n = -2; n < 200; n++) expect(isPrime(n)).toBe(n >= 2 && composite[n] === 0);
    expect([113, 46337].map(isPrime)).toEqual([true, true]);
    expect([46339, 2.5].map(isPrime)).toEqual([false, false]); // 46339 = 149 · 311
  });
});
