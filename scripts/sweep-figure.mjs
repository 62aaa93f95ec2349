// `node scripts/sweep-figure.mjs`: the Sweeps guide's figure. Runs a real sweep (train fraction on p = 23, three
// seeds, each run to grokking or 3000 epochs) on the local pool, then draws its sweep.html in headless Chromium and
// saves the grokking-epoch figure as docs/guide/sweeps/train-fraction.png. Needs the CLI built and Debian's Chromium.
// The sweep directory (sweeps/p23-train-fraction) is kept: rerunning only redraws.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { launchBrowser, serveDir } from '../tools/browser-testing/index.mjs';

const OUT = 'sweeps/p23-train-fraction';
const sweep = spawnSync(process.execPath, ['packages/cli/dist/bin.js', 'sweep', '--preset', 'modular-addition', '--p', '23',
  '--d-model', '32', '--n-heads', '4', '--d-head', '8', '--d-mlp', '64', '--lr', '0.01', '--epochs', '3000', '--stop-when-grokked', '3',
  '--eval-every', '25', '--checkpoint-every', '500', '--backend', 'wasm', '--grid', 'train-fraction=0.3:0.8:0.1', '--seeds', '0-2',
  '--no-analyze', '--out', OUT], { stdio: 'inherit' });
if (sweep.status !== 0) throw new Error(`grok sweep failed with status ${sweep.status}`);

const server = await serveDir(OUT);
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 1200, height: 900 });
  await page.goto(`${server.url}/sweep.html`);
  await page.waitForSelector('body[data-rendered="true"]', { timeout: 60_000 });
  mkdirSync('docs/guide/sweeps', { recursive: true });
  const figure = page.locator('figure', { has: page.locator('#fig-grok-0') });
  await figure.screenshot({ path: 'docs/guide/sweeps/train-fraction.png' });
  console.error('saved docs/guide/sweeps/train-fraction.png');
} finally {
  await browser.close();
  server.close();
}
