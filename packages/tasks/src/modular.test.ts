import fc from 'fast-check';
import { modularArithmetic, trainSizeFor } from './modular';
import { createRng } from './random';

// Independent references: BigInt arithmetic, and division checked by multiplying back (label · y ≡ x).
const mod = (v: bigint, p: number) => Number(((v % BigInt(p)) + BigInt(p)) % BigInt(p));
const reference: Record<string, (x: bigint, y: bigint) => bigint> = {
  add: (x, y) => x + y,
  subtract: (x, y) => x - y,
  multiply: (x, y) => x * y,
  'x2+y2': (x, y) => x * x + y * y,
  'x2+xy+y2': (x, y) => x * x + x * y + y * y,
};

describe('modularArithmetic', () => {
  it('describes the write-up task for p = 113', () => {
    const { info } = modularArithmetic();
    expect(info).toMatchObject({
      name: 'modular-addition',
      dVocab: 114,
      dVocabOut: 113,
      nCtx: 3,
      nScored: 1,
      fixedPositions: [2],
      slotNames: ['x+y mod 113'],
    });
    expect(info.tokenNames).toHaveLength(114);
    expect(info.tokenNames[113]).toBe('=');
    expect(info.tokenNames[57]).toBe('57');
    expect(info.outputNames).toHaveLength(113);
  });

  it('gives hand-checked labels for (3, 5) mod 7', () => {
    // 3+5=8≡1; 3-5=-2≡5; 3·5=15≡1; 5⁻¹≡3 (5·3=15≡1) so 3/5≡9≡2; 9+25=34≡6; 9+15+25=49≡0.
    const expected = { add: 1, subtract: 5, multiply: 1, divide: 2, 'x2+y2': 6, 'x2+xy+y2': 0 } as const;
    for (const [operation, label] of Object.entries(expected)) {
      const task = modularArithmetic({ p: 7, operation: operation as keyof typeof expected });
      const all = task.all();
      const i = task.pairIndex(3, 5);
      expect(Array.from(all.tokens.subarray(3 * i, 3 * i + 3))).toEqual([3, 5, 7]);
      expect(all.positions[i]).toBe(2);
      expect(all.targets[i]).toBe(label);
    }
  });

  it.each(Object.keys(reference))('labels every pair correctly for %s mod 113', (operation) => {
    const p = 113;
    const task = modularArithmetic({ p, operation: operation as 'add' });
    const all = task.all();
    expect(all.size).toBe(p * p);
    const wrong: string[] = [];
    for (let x = 0; x < p; x++) {
      for (let y = 0; y < p; y++) {
        const i = x * p + y; // row-major
        const row = Array.from(all.tokens.subarray(3 * i, 3 * i + 3));
        const label = mod(reference[operation]!(BigInt(x), BigInt(y)), p);
        if (row.join() !== `${x},${y},${p}` || all.targets[i] !== label || all.positions[i] !== 2) {
          wrong.push(`(${x}, ${y}): ${row} -> ${all.targets[i]}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('labels every pair of division mod 113, y = 0 excluded, x major', () => {
    const p = 113;
    const task = modularArithmetic({ p, operation: 'divide' });
    const all = task.all();
    const { x, y } = task.pairs();
    expect(task.pairCount).toBe(p * (p - 1));
    expect(all.size).toBe(p * (p - 1));
    const wrong: number[] = [];
    for (let i = 0; i < all.size; i++) {
      const xi = Math.floor(i / (p - 1));
      const yi = (i % (p - 1)) + 1;
      const label = all.targets[i]!;
      const ok =
        x[i] === xi && y[i] === yi && all.tokens[3 * i] === xi && all.tokens[3 * i + 1] === yi &&
        label >= 0 && label < p && (label * yi) % p === xi && task.pairIndex(xi, yi) === i;
      if (!ok) wrong.push(i);
    }
    expect(wrong).toEqual([]);
    expect(task.pairIndex(5, 0)).toBe(-1);
  });

  it('reduces a custom operation mod p, negative values included', () => {
    const task = modularArithmetic({ p: 11, operation: (x, y) => x - 3 * y });
    expect(task.info.name).toBe('modular-custom');
    const all = task.all();
    for (let i = 0; i < all.size; i++) {
      const x = all.tokens[3 * i]!;
      const y = all.tokens[3 * i + 1]!;
      expect(all.targets[i]).toBe(mod(BigInt(x - 3 * y), 11));
    }
    expect(() => modularArithmetic({ p: 5, operation: (x, y) => x / (y + 2) }).all()).toThrow(
      'operation(1, 0, 5) must return a safe integer, got 0.5',
    );
  });

  it('splits p = 113 at 30% into 3830 train and 8939 test pairs, disjoint and covering', () => {
    const task = modularArithmetic();
    const { train, test, trainIndices, testIndices } = task.split({ trainFraction: 0.3, seed: 0 });
    expect(train.size).toBe(3830); // floor(12769 · 0.3) = floor(3830.7)
    expect(test.size).toBe(12769 - 3830);
    const seen = new Uint8Array(12769);
    for (const i of [...trainIndices, ...testIndices]) seen[i]! += 1;
    expect(seen.every((c) => c === 1)).toBe(true);
    // Rows are the pairs their indices name.
    const all = task.all();
    for (const [set, indices] of [[train, trainIndices], [test, testIndices]] as const) {
      const wrong: number[] = [];
      for (let r = 0; r < set.size; r++) {
        const i = indices[r]!;
        const same = [0, 1, 2].every((k) => set.tokens[3 * r + k] === all.tokens[3 * i + k]);
        if (!same || set.targets[r] !== all.targets[i]) wrong.push(r);
      }
      expect(wrong).toEqual([]);
    }
  });

  it("keeps the seed-0 split of p = 113 at 30%: the write-up's run trains on these pairs", () => {
    // From a separate Python transcription of createRng and the Fisher-Yates shuffle (rejection-sampled rng.int).
    const { trainIndices } = modularArithmetic().split({ trainFraction: 0.3, seed: 0 });
    expect(trainIndices).toHaveLength(3830);
    // 2025 = 17·113 + 104: the first train pair is x = 17, y = 104.
    expect(Array.from(trainIndices.slice(0, 12))).toEqual([2025, 9086, 5609, 2847, 9134, 8568, 7572, 5153, 4674, 1260, 6665, 9890]);
    expect(trainIndices[3829]).toBe(446);
  });

  it('follows the documented shuffle, is deterministic, and differs between seeds', () => {
    const task = modularArithmetic({ p: 31, operation: 'multiply' });
    const a = task.split({ trainFraction: 0.5, seed: 42 });
    const b = task.split({ trainFraction: 0.5, seed: 42 });
    expect(b.trainIndices).toEqual(a.trainIndices);
    expect(b.train.tokens).toEqual(a.train.tokens);
    const expectedOrder = createRng(42).shuffle(Array.from({ length: 961 }, (_, i) => i));
    expect(Array.from(a.trainIndices)).toEqual(expectedOrder.slice(0, 480));
    expect(Array.from(a.testIndices)).toEqual(expectedOrder.slice(480));
    expect(task.split({ trainFraction: 0.5, seed: 43 }).trainIndices).not.toEqual(a.trainIndices);
  });

  it('allows trainFraction 1 (empty test set) and sizes division splits over the p(p-1) valid pairs', () => {
    const whole = modularArithmetic({ p: 13 }).split({ trainFraction: 1, seed: 1 });
    expect(whole.train.size).toBe(169);
    expect(whole.test.size).toBe(0);
    expect(whole.test.tokens).toHaveLength(0);
    const division = modularArithmetic({ p: 113, operation: 'divide' }).split({ trainFraction: 0.5, seed: 3 });
    expect(division.train.size).toBe(6328); // 113 · 112 / 2
    for (let r = 0; r < division.train.size; r++) expect(division.train.tokens[3 * r + 1]).not.toBe(0);
  });

  it('rounds the train size down, forgiving float error just below an integer', () => {
    expect(trainSizeFor(100, 0.57)).toBe(57); // 100 · 0.57 = 56.99999999999999 in floats
    expect(trainSizeFor(12769, 0.95)).toBe(12130); // 12130.55
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 46340 ** 2 }), fc.double({ min: 0, max: 1, noNaN: true }), (count, u) => {
        const k = Math.floor(u * count);
        expect(trainSizeFor(count, k / count)).toBe(k);
      }),
    );
  });

  it('samples uniform valid pairs with correct labels, fresh on each call', () => {
    const task = modularArithmetic({ p: 17, operation: 'divide' });
    const rng = createRng(5);
    const first = task.sample(2000, rng);
    const second = task.sample(2000, rng);
    expect(second.tokens).not.toEqual(first.tokens);
    expect(task.sample(2000, createRng(5)).tokens).toEqual(first.tokens);
    const counts = new Array(17).fill(0);
    for (let r = 0; r < first.size; r++) {
      const [x, y, eq] = first.tokens.subarray(3 * r, 3 * r + 3);
      expect(eq).toBe(17);
      expect(y).toBeGreaterThan(0);
      expect((first.targets[r]! * y!) % 17).toBe(x);
      counts[x!]++;
    }
    for (const c of counts) expect(Math.abs(c - 2000 / 17)).toBeLessThan(45); // ~4 standard deviations
    expect(task.sample(0, rng).size).toBe(0);
  });

  it('rejects bad arguments, naming the argument, its value and what is allowed', () => {
    expect(() => modularArithmetic({ p: 1.5 })).toThrow('p must be an integer in [2, 46340], got 1.5');
    expect(() => modularArithmetic({ p: 1 })).toThrow('p must be an integer in [2, 46340], got 1');
    expect(() => modularArithmetic({ p: NaN })).toThrow('got NaN');
    expect(() => modularArithmetic({ p: 46341 })).toThrow('got 46341');
    expect(() => modularArithmetic({ p: '7' as unknown as number })).toThrow('got "7"');
    expect(() => modularArithmetic({ p: 12, operation: 'divide' })).toThrow('p must be prime for modular division, got 12');
    expect(() => modularArithmetic({ operation: 'pow' as 'add' })).toThrow('operation must be one of add, subtract');
    expect(() => modularArithmetic({ q: 3 } as object)).toThrow('unknown option "q"; allowed: p, operation');
    const task = modularArithmetic({ p: 7 });
    expect(() => task.split({ trainFraction: 1.5, seed: 0 })).toThrow('trainFraction must be in (0, 1], got 1.5');
    expect(() => task.split({ trainFraction: 0, seed: 0 })).toThrow('trainFraction must be in (0, 1], got 0');
    expect(() => task.split({ trainFraction: NaN, seed: 0 })).toThrow('trainFraction must be in (0, 1], got NaN');
    expect(() => task.split({ trainFraction: 0.01, seed: 0 })).toThrow('gives no training pairs');
    expect(() => task.split({ trainFraction: 0.5, seed: 1.5 })).toThrow('seed must be a safe integer, got 1.5');
    expect(() => task.split({ trainSize: 10, seed: 0 })).toThrow('unknown option "trainSize"');
    expect(() => task.sample(-1, createRng(0))).toThrow('count must be an integer >= 0, got -1');
    expect(() => task.pairIndex(7, 0)).toThrow('x must be an integer in [0, 6], got 7');
    // p = 2, the smallest, works for every operation that allows it.
    expect(Array.from(modularArithmetic({ p: 2, operation: 'divide' }).all().targets)).toEqual([0, 1]);
  });
});
