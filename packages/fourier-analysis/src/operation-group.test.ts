// primitiveRoot, discreteLogs and operationGroup against brute force for p = 7, 11, 13.
import { GROUP_OPERATIONS, discreteLogs, operationGroup, primitiveRoot, type GroupOperation } from './operation-group';

/** The multiplicative order of g mod p, by repeated multiplication. */
function order(g: number, p: number): number {
  let power = g % p;
  let k = 1;
  while (power !== 1) {
    power = (power * g) % p;
    k++;
  }
  return k;
}

/** x ∘ y mod p by brute force (division by searching for the inverse), or null where undefined (y = 0 in divide). */
function apply(operation: GroupOperation, p: number, x: number, y: number): number | null {
  switch (operation) {
    case 'add':
      return (x + y) % p;
    case 'subtract':
      return (x - y + p) % p;
    case 'multiply':
      return (x * y) % p;
    case 'divide': {
      if (y === 0) return null;
      const inverse = Array.from({ length: p }, (_, i) => i).find((i) => (i * y) % p === 1)!;
      return (x * inverse) % p;
    }
  }
}

describe('primitiveRoot and discreteLogs', () => {
  it.each([7, 11, 13])('p = %i: the smallest g of order p - 1, and logs with g^log x = x', (p) => {
    const g = primitiveRoot(p);
    const brute = Array.from({ length: p - 2 }, (_, i) => i + 2).find((c) => order(c, p) === p - 1);
    expect(g).toBe(brute);
    const log = discreteLogs(p, g);
    expect(log[0]).toBe(-1);
    for (let x = 1; x < p; x++) {
      let power = 1;
      for (let k = 0; k < log[x]!; k++) power = (power * g) % p;
      expect(power).toBe(x);
    }
    expect([...log.slice(1)].sort((a, b) => a - b)).toEqual(Array.from({ length: p - 1 }, (_, i) => i)); // a bijection onto Z_{p-1}
  });

  it('knows the classic roots and names bad input', () => {
    expect([3, 2, 2, 3].map((r, i) => primitiveRoot([7, 11, 13, 113][i]!) === r)).toEqual([true, true, true, true]);
    expect(primitiveRoot(2)).toBe(1);
    expect(() => primitiveRoot(12)).toThrow(/p must be a prime in \[2, \d+\] for a primitive root, got 12/);
    expect(() => discreteLogs(7, 2)).toThrow(/g must be a generator of Z_7\^\*, got 2 \(its powers repeat after 3\)/);
  });
});

describe('operationGroup', () => {
  const cases = [7, 11, 13].flatMap((p) => GROUP_OPERATIONS.map((op) => [p, op] as const));
  it.each(cases)('p = %i, %s: every defined x ∘ y with x, y in the group is z with index a + b mod m', (p, operation) => {
    const group = operationGroup(p, operation);
    const logSpace = operation === 'multiply' || operation === 'divide';
    expect(group.m).toBe(logSpace ? p - 1 : p);
    expect(group.generator).toBe(logSpace ? primitiveRoot(p) : null);
    let checked = 0;
    for (let x = 0; x < p; x++) {
      for (let y = 0; y < p; y++) {
        const z = apply(operation, p, x, y);
        const inGroup = group.x[x]! >= 0 && group.y[y]! >= 0;
        expect(inGroup).toBe(logSpace ? x !== 0 && y !== 0 : true);
        if (z === null || !inGroup) continue;
        expect(group.z[z]).toBe((group.x[x]! + group.y[y]!) % group.m);
        checked++;
      }
    }
    expect(checked).toBe(group.m * group.m);
    for (const side of [group.x, group.y, group.z]) {
      expect([...side].filter((i) => i >= 0).sort((a, b) => a - b)).toEqual(Array.from({ length: group.m }, (_, i) => i));
    }
  });

  it('names a bad operation or modulus', () => {
    expect(() => operationGroup(7, 'power' as GroupOperation)).toThrow(/operation must be one of add, subtract, multiply, divide, got "power"/);
    expect(() => operationGroup(9, 'multiply')).toThrow(/p must be a prime .* for multiply through discrete logarithms, got 9/);
    expect(operationGroup(9, 'subtract').m).toBe(9);
  });
});
