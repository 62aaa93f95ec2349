// Child process: times the seed run's epoch on tfjs' wasm backend inside headless Chromium (Debian's, through
// @grokking/browser-testing) and prints one JSON line, a TfjsResult. The page (browser/entry.ts) is bundled with
// esbuild against the built packages and served from 127.0.0.1, cross-origin isolated so wasm may run threads. Usage:
//   node dist/browser-child.js [--formulation last] [--runner trainer] [--epochs 3:30:10]
import { build } from 'esbuild';
import { CROSS_ORIGIN_ISOLATED, launchBrowser, serveDir } from '@grokking/browser-testing';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserResult } from './browser/entry';
import type { TfjsResult } from './tfjs-child';
import { arg } from './child-args';


async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'grok-bench-browser-'));
  await build({
    entryPoints: [fileURLToPath(new URL('../src/browser/entry.ts', import.meta.url))],
    bundle: true, format: 'esm', outfile: join(dir, 'entry.js'), logLevel: 'error', platform: 'browser', target: 'es2022',
  });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="entry.js"></script>');
  // tfjs-backend-wasm's binaries (dist/*.wasm), served as wasm/.
  const wasmDist = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  symlinkSync(wasmDist, join(dir, 'wasm'));

  const server = await serveDir(dir, CROSS_ORIGIN_ISOLATED);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const query = new URLSearchParams({ formulation: arg('formulation', 'last'), runner: arg('runner', 'trainer'), epochs: arg('epochs', '3:30:10') });
    await page.goto(`${server.url}/index.html?${query}`);
    await page.waitForFunction(() => (globalThis as { result?: unknown }).result !== undefined, null, { timeout: 600_000 });
    const measured = await page.evaluate(() => (globalThis as unknown as { result: BrowserResult | { error: string } }).result);
    if ('error' in measured) throw new Error(`the page failed: ${measured.error}`);
    if (!measured.crossOriginIsolated) throw new Error('the page is not cross-origin isolated: wasm would run without threads');
    // The project's kernels, which the trainer's fused path asks for on wasm: the row times what Node's does.
    if (!measured.kernels.includes('GrokkingRowMix')) throw new Error(`the page ran without the project's wasm kernels: ${measured.kernels.join(', ') || 'none'}`);
    const { crossOriginIsolated: _isolated, kernels: _kernels, ...timed } = measured;
    const result: TfjsResult = { ...timed, backend: 'wasm in Chromium', peakRssMb: null, matmulGflops: null };
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
