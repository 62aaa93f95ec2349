// The Adam kernel's step emulated in float32, for tests: each operation rounded with Math.fround, as IEEE float32
// arithmetic does, in the kernel's (and the trainer's tfjs ops') order.
import type { AdamScalars } from './adam';

const f = Math.fround;

/** The step in float32, operation by operation. */
export function emulateAdam(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, s: AdamScalars) {
  const [l2, decay, b1, b2, bc2, eps, stepSize] = [s.l2, s.decay, s.b1, s.b2, s.bc2Sqrt, s.eps, s.stepSize].map(f) as number[];
  const [oneMinusB1, oneMinusB2] = [f(1 - s.b1), f(1 - s.b2)];
  const out = { p: new Float32Array(p.length), m: new Float32Array(p.length), v: new Float32Array(p.length) };
  for (let i = 0; i < p.length; i++) {
    const gi = l2 !== 0 ? f(g[i]! + f(p[i]! * l2!)) : g[i]!;
    out.m[i] = f(f(m[i]! * b1!) + f(gi * oneMinusB1));
    out.v[i] = f(f(v[i]! * b2!) + f(f(gi * gi) * oneMinusB2));
    const denom = f(f(f(Math.sqrt(out.v[i]!)) / bc2!) + eps!);
    out.p[i] = f(f(p[i]! * decay!) - f(f(out.m[i]! / denom) * stepSize!));
  }
  return out;
}
