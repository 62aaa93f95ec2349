// The PyTorch fixtures (src/fixture.test.ts, src/gradients.test.ts) and the fused-vs-general comparisons
// (src/fast/one-layer.test.ts), which jest runs on cpu and wasm, run here on webgl and webgpu in headless Chromium
// (SwiftShader: no GPU needed). test/browser/entry.ts is bundled with esbuild against the built package (dist/) and
// served from 127.0.0.1 with fixtures/ linked in, not copied; the page reports what it measured, and the tolerances
// below decide. Run after `pnpm build` (turbo's test:browser depends on it); BACKENDS=webgpu runs one backend.
import { build } from 'esbuild';
import { launchBrowser, serveDir } from '@grokking/browser-testing';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Tolerances for float32 on a GPU, by kind of measurement. The jest tests use 1e-5 (PyTorch) and 1e-5 / 1e-6 / 1e-4
// (fused vs general logits / loss / gradients) on cpu and wasm. A GPU sums in its own order (tiled matmuls, tree
// reductions), WebGL keeps int32 tokens and indices in float textures, and GLSL ES 3.0 and WGSL allow exp 3 + 2|x| ulp
// and log 2^-21 absolute error near 1. With d <= 512 terms per dot product rounding accumulates up to
// d * 2^-24 ~ 3e-5 of the operands' scale in the worst case, so 1e-4 for everything compared with PyTorch's float64
// values (relative to 1 + |value|, as the jest tests measure), 1e-4 for the fused against the general logits and
// losses (both float32 here, so their errors add), and the jest tests' 1e-4 of each gradient's scale for the
// gradients. A ReLU whose input sits within rounding of 0 could flip and move a gradient by a unit of its scale;
// these fixed seeds have none. b_K's gradient is zero in exact arithmetic: what remains is rounding, against the
// largest gradient. Measured on SwiftShader (webgl and webgpu alike): PyTorch 1e-6, fused logits 2e-6, fused
// gradients 1.2e-5, b_K 1.1e-7, each tolerance 8 to 100 times what the emulated GPU needs.
const TOLERANCE = {
  pytorch: 1e-4,
  'pytorch-loss': 1e-4,
  'fused-logits': 1e-4,
  'fused-loss': 1e-4,
  'fused-grad': 1e-4,
  'b_K-closed-form': 1e-5,
  path: 0,
};

const dir = mkdtempSync(join(tmpdir(), 'grok-model-browser-'));
await build({
  entryPoints: [fileURLToPath(new URL('./browser/entry.ts', import.meta.url))],
  bundle: true, format: 'esm', outfile: join(dir, 'entry.js'), logLevel: 'error', platform: 'browser', target: 'es2022',
});
writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="entry.js"></script>');
symlinkSync(fileURLToPath(new URL('../fixtures', import.meta.url)), join(dir, 'fixtures'));

const server = await serveDir(dir);
let failed = 0;

/** Runs the page on one backend, in its own browser, and prints what it measured against the tolerances. */
async function checkOn(backend) {
  const browser = await launchBrowser();
  try {
    const start = performance.now();
    const page = await browser.newPage();
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}/index.html?backend=${backend}`);
    await page.waitForFunction(() => window.result !== undefined, null, { timeout: 240_000 });
    const result = await page.evaluate(() => window.result);
    await page.close();
    const problems = [...errors.map((e) => `console error: ${e}`)];
    if (result.error) {
      problems.push(result.error);
    } else {
      if (result.backend !== backend) problems.push(`asked for ${backend}, ran on ${result.backend}`);
      // WebGL falls back to 16-bit textures where 32-bit ones cannot be rendered to; no tolerance above holds there.
      if (!result.float32) problems.push('tensors are not stored as float32 here');
      if (result.leakedTensors !== 0) problems.push(`${result.leakedTensors} tensors leaked`);
      const worst = new Map();
      for (const m of result.measurements) {
        const tolerance = TOLERANCE[m.kind];
        if (tolerance === undefined) problems.push(`unknown kind ${m.kind}`);
        // `!(a <= b)` so that NaN fails.
        else if (!(m.error <= tolerance)) problems.push(`${m.name}: error ${m.error.toExponential(2)} > ${tolerance} (${m.kind})`);
        if (!(worst.get(m.kind)?.error >= m.error)) worst.set(m.kind, m);
      }
      for (const kind of Object.keys(TOLERANCE)) {
        const m = worst.get(kind);
        const count = result.measurements.filter((x) => x.kind === kind).length;
        if (count === 0) { problems.push(`no ${kind} measurements`); continue; }
        console.log(`${backend.padEnd(7)} ${kind.padEnd(16)} ${String(count).padStart(4)} checks, worst ${m.error.toExponential(1)} (tolerance ${TOLERANCE[kind]}): ${m.name}`);
      }
      const times = Object.entries(result.seconds).map(([k, s]) => `${k} ${s.toFixed(1)} s`).join(', ');
      console.log(`${backend.padEnd(7)} ${times}; page total ${((performance.now() - start) / 1000).toFixed(1)} s`);
    }
    for (const p of problems) console.log(`${backend.padEnd(7)} FAIL ${p}`);
    if (problems.length) failed++;
  } finally {
    await browser.close();
  }
}

try {
  // The backends at once, each in its own browser: SwiftShader's shader compiles keep one core busy per browser.
  await Promise.all((process.env.BACKENDS ?? 'webgl,webgpu').split(',').map(checkOn));
} finally {
  server.close();
}
console.log(failed ? `model on browser backends: ${failed} backend(s) failed` : 'model on browser backends: webgl and webgpu pass');
process.exit(failed ? 1 : 0);
