// Eigen-decomposition of a small symmetric matrix in float64 (Householder tridiagonalisation, implicit QR).
/** Eigen-decomposition of a symmetric matrix. */
export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  values: number[];
  /** vectors[i] is the unit eigenvector of values[i], signed so its largest-magnitude entry is positive (empty if not asked for). */
  vectors: number[][];
}

/**
 * Eigenvalues (and optionally eigenvectors) of a small symmetric n x n matrix, row-major, in float64: Householder
 * reflections reduce it to a tridiagonal matrix T = QᵀAQ, then implicit QR steps with Wilkinson shifts diagonalise T,
 * each step a chase of Givens rotations down the diagonal. About 10n³ flops: meant for the Gram and covariance
 * matrices of PCA and effective rank (n = min(p, d_model) or so), a few milliseconds at n = 128.
 *
 * @example
 * symmetricEigen([2, 1, 1, 2], 2); // { values: [3, 1], vectors: [[0.707, 0.707], [0.707, -0.707]] } (to rounding)
 * symmetricEigen([2, 1, 1, 2], 2, false).values; // [3, 1]
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number, withVectors = true): SymmetricEigen {
  if (matrix.length !== n * n) throw new Error(`matrix must have n*n = ${n * n} entries, got ${matrix.length}`);
  const t = Float64Array.from(matrix);
  const v = withVectors ? identity(n) : null;
  tridiagonalise(t, v, n);
  diagonaliseTridiagonal(t, v, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => t[j * n + j]! - t[i * n + i]!);
  const values = order.map((i) => t[i * n + i]!);
  if (!v) return { values, vectors: [] };
  const vectors = order.map((i) => {
    const column = Array.from({ length: n }, (_, k) => v[k * n + i]!);
    const largest = column.reduce((best, x) => (Math.abs(x) > Math.abs(best) ? x : best), 0);
    return largest < 0 ? column.map((x) => -x) : column;
  });
  return { values, vectors };
}

function identity(n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return m;
}

/**
 * In place: a <- HᵀaH for Householder reflections H = I - β u uᵀ that zero column k below its subdiagonal, for
 * k = 0..n-3; v <- vH accumulates Q. Uses the symmetric rank-2 update S <- S - u wᵀ - w uᵀ, w = βSu - (β²uᵀSu/2) u.
 */
function tridiagonalise(a: Float64Array, v: Float64Array | null, n: number): void {
  const u = new Float64Array(n);
  const w = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    let norm2 = 0;
    for (let i = k + 1; i < n; i++) norm2 += a[i * n + k]! ** 2;
    if (norm2 === 0) continue;
    const x0 = a[(k + 1) * n + k]!;
    const alpha = x0 >= 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2); // the new subdiagonal entry, sign chosen against cancellation
    for (let i = k + 1; i < n; i++) u[i] = a[i * n + k]!;
    u[k + 1] = x0 - alpha;
    const uu = norm2 - x0 * x0 + u[k + 1]! ** 2;
    if (uu === 0) continue;
    const beta = 2 / uu;
    let uSu = 0;
    for (let i = k + 1; i < n; i++) {
      let s = 0;
      for (let j = k + 1; j < n; j++) s += a[i * n + j]! * u[j]!;
      w[i] = beta * s;
      uSu += u[i]! * w[i]!;
    }
    const half = (beta * uSu) / 2;
    for (let i = k + 1; i < n; i++) w[i] = w[i]! - half * u[i]!;
    for (let i = k + 1; i < n; i++) {
      for (let j = k + 1; j < n; j++) a[i * n + j] = a[i * n + j]! - u[i]! * w[j]! - w[i]! * u[j]!;
    }
    for (let i = k + 1; i < n; i++) a[i * n + k] = a[k * n + i] = 0;
    a[(k + 1) * n + k] = a[k * n + k + 1] = alpha;
    if (v) {
      for (let r = 0; r < n; r++) {
        let s = 0;
        for (let j = k + 1; j < n; j++) s += v[r * n + j]! * u[j]!;
        s *= beta;
        for (let j = k + 1; j < n; j++) v[r * n + j] = v[r * n + j]! - s * u[j]!;
      }
    }
  }
}

/** In place: rows and columns k, k+1 of t (within lo..hi) rotated, t <- Rᵀ t R, and v <- v R, R = [[c, s], [-s, c]]. */
function rotate(t: Float64Array, v: Float64Array | null, n: number, k: number, c: number, s: number, lo: number, hi: number): void {
  for (let j = lo; j <= hi; j++) {
    const a = t[k * n + j]!;
    const b = t[(k + 1) * n + j]!;
    t[k * n + j] = c * a - s * b;
    t[(k + 1) * n + j] = s * a + c * b;
  }
  for (let i = lo; i <= hi; i++) {
    const a = t[i * n + k]!;
    const b = t[i * n + k + 1]!;
    t[i * n + k] = c * a - s * b;
    t[i * n + k + 1] = s * a + c * b;
  }
  if (v) {
    for (let i = 0; i < n; i++) {
      const a = v[i * n + k]!;
      const b = v[i * n + k + 1]!;
      v[i * n + k] = c * a - s * b;
      v[i * n + k + 1] = s * a + c * b;
    }
  }
}

/**
 * In place: diagonalises the symmetric tridiagonal t by implicit QR steps with Wilkinson shifts on its lowest
 * unreduced block, deflating when a subdiagonal entry falls below float64 rounding of its neighbours.
 */
function diagonaliseTridiagonal(t: Float64Array, v: Float64Array | null, n: number): void {
  const eps = Number.EPSILON;
  const at = (i: number, j: number) => t[i * n + j]!;
  const negligible = (i: number) => Math.abs(at(i, i - 1)) <= eps * (Math.abs(at(i, i)) + Math.abs(at(i - 1, i - 1)));
  let m = n - 1;
  for (let steps = 0; m > 0 && steps < 50 * n; ) {
    if (negligible(m)) {
      t[m * n + m - 1] = t[(m - 1) * n + m] = 0;
      m--;
      continue;
    }
    let l = m - 1;
    while (l > 0 && !negligible(l)) l--;
    const delta = (at(m - 1, m - 1) - at(m, m)) / 2;
    const b = at(m, m - 1);
    const shift = at(m, m) - (b * b) / (delta + (delta >= 0 ? 1 : -1) * Math.hypot(delta, b));
    let x = at(l, l) - shift;
    let z = at(l + 1, l);
    for (let k = l; k < m; k++) {
      const r = Math.hypot(x, z);
      if (r === 0) break;
      rotate(t, v, n, k, x / r, -z / r, Math.max(l, k - 1), Math.min(m, k + 2));
      if (k < m - 1) {
        x = at(k + 1, k);
        z = at(k + 2, k);
      }
    }
    steps++;
  }
}
