import { createRng, rngFromState } from './random';

describe('createRng', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const first = createRng(7);
    const a = Array.from({ length: 5 }, () => first.nextUint32());
    const rng = createRng(7);
    expect(Array.from({ length: 5 }, () => rng.nextUint32())).toEqual(a);
    const other = createRng(8);
    expect(Array.from({ length: 5 }, () => other.nextUint32())).not.toEqual(a);
  });

  it('resumes exactly from a saved state', () => {
    const rng = createRng(123);
    for (let i = 0; i < 10; i++) rng.next();
    const saved = rng.state();
    const tail = Array.from({ length: 20 }, () => rng.nextUint32());
    const again = rngFromState(saved);
    expect(Array.from({ length: 20 }, () => again.nextUint32())).toEqual(tail);
  });

  it('gives uniform integers and standard normals with the right moments', () => {
    const rng = createRng(1);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100000; i++) counts[rng.int(10)]++;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(500);
    let s = 0, s2 = 0;
    const n = 100000;
    for (let i = 0; i < n; i++) { const z = rng.normal(); s += z; s2 += z * z; }
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.02);
  });

  it('shuffles into a permutation', () => {
    const a = createRng(3).shuffle(Array.from({ length: 50 }, (_, i) => i));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('rejects bad seeds and states, naming the value', () => {
    expect(() => createRng(1.5)).toThrow('seed must be a safe integer; got 1.5');
    expect(() => createRng(NaN)).toThrow('got NaN');
    expect(() => rngFromState([1, 2, 3])).toThrow('rng state must be four uint32 words; got [1,2,3]');
    expect(() => rngFromState([0, 0, 0, 0])).toThrow('all zeros');
  });
});
