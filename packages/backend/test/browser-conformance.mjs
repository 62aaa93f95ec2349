// Runs the conformance checks in headless Chromium on webgl and webgpu (SwiftShader, no GPU needed).
// The page is bundled with esbuild and served from 127.0.0.1; nothing is fetched from elsewhere.
import { build } from 'esbuild';
import { launchBrowser, serveDir } from '@grokking/browser-testing';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'grok-conformance-'));
await build({
  entryPoints: [new URL('./browser/entry.ts', import.meta.url).pathname],
  bundle: true, format: 'esm', outfile: join(dir, 'entry.js'), logLevel: 'error', platform: 'browser',
});
writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="entry.js"></script>');

const server = await serveDir(dir);
let failed = 0;

/** Runs the conformance page on one backend, in its own browser. */
async function checkOn(backend) {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}/index.html?backend=${backend}`);
    await page.waitForFunction(() => window.result !== undefined, null, { timeout: 120_000 });
    const result = await page.evaluate(() => window.result);
    if (result.error) {
      console.log(`${backend.padEnd(7)} FAIL  ${result.error}`);
      failed++;
    } else {
      for (const c of result.report.checks) {
        console.log(`${result.report.backend.padEnd(7)} ${c.pass ? 'pass' : 'FAIL'}  ${c.name.padEnd(38)} max error ${c.maxError.toExponential(1)} (tolerance ${c.tolerance})`);
      }
      if (!result.report.pass || result.info.active !== backend) failed++;
    }
    if (errors.length) { console.log(`${backend}: console errors:\n${errors.join('\n')}`); failed++; }
    await page.close();
  } finally {
    await browser.close();
  }
}

try {
  // Both backends at once, each in its own browser, so a 2-core machine compiles their shaders side by side.
  await Promise.all(['webgl', 'webgpu'].map(checkOn));
} finally {
  server.close();
}
console.log(failed ? `browser conformance: ${failed} backend(s) failed` : 'browser conformance: webgl and webgpu pass');
process.exit(failed ? 1 : 0);
