// Closed forms of the cross-entropy kernels in float64, for tests: the precise loss's parts and its gradient.

/** Float64 parts of the precise loss for one row, and its gradient for an incoming dy. */
export function crossEntropyReference(z: number[], y: number[], dy: number) {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(Math.fround(v - m))); // z - m rounds to float32 before the exp, as in the kernel
  const eC = e.reduce((a, v, j) => a + v * y[j]!, 0);
  const rest = e.reduce((a, v, j) => a + v * (1 - y[j]!), 0);
  const lead = m - z.reduce((a, v, j) => a + v * y[j]!, 0);
  const grad = e.map((v, j) => ((v * (1 - y[j]!) - y[j]! * rest) * dy) / (eC + rest));
  return { e, eC, rest, lead, grad };
}

/** |a - b| <= rel |b| + abs, element by element, and as many elements in a as in b. */
export function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, rel: number, abs = 0): void {
  if (a.length !== b.length) throw new Error(`${a.length} entries against ${b.length}`);
  for (let i = 0; i < b.length; i++) {
    const tol = rel * Math.abs(b[i]!) + abs;
    if (!(Math.abs(a[i]! - b[i]!) <= tol)) throw new Error(`entry ${i}: ${a[i]} against ${b[i]} (tolerance ${tol})`);
  }
}
