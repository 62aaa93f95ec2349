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

  it('gives the xoshiro128** reference outputs from the state [1, 2, 3, 4]', () => {
    // The reference C implementation's (prng.di.unimi.it/xoshiro128starstar.c) first outputs for this state, as the
    // rand_xoshiro crate's tests give them: an answer from outside this code.
    const rng = rngFromState([1, 2, 3, 4]);
    expect(Array.from({ length: 10 }, () => rng.nextUint32())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804,
    ]);
  });

  it.each([
    // seed, first outputs: from a separate Python transcription of the seeding (splitmix32, the high 32 bits mixed
    // with 0x5bd1e995) and xoshiro128**, in arbitrary-precision integers. A change here changes every seeded split and
    // initialisation: users' seed-0 runs would silently become different runs.
    [0, [3809008728, 2230682127, 3313509988, 2550173124, 3906389098, 616934907, 3921344094, 2508145521]],
    [12345, [518667457, 2900984525, 1919209267, 2131842776, 2520578487, 1502463447, 3437963073, 1118324680]],
    [2 ** 32 + 7, [1004282400, 1578646451, 3114416308, 1846739947, 829793427, 1020276, 410445454, 1117005064]],
  ])('gives the known first outputs for seed %i', (seed, want) => {
    const rng = createRng(seed);
    expect(Array.from({ length: want.length }, () => rng.nextUint32())).toEqual(want);
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
