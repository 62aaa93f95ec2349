// `pnpm docs:figures`: the guide's figures, from real (small) runs: trains each task family's small run with the
// built `grok`, renders its report in headless Chromium and saves chosen figures as PNG under docs/guide/images/.
// The runs and their commands are listed in docs/guide/images/figures.json beside the images.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(join(process.cwd(), 'packages/cli/package.json'));
const { launchBrowser, serveDir } = await import(require.resolve('@grokking/browser-testing'));
const OUT = 'docs/guide/images';
const SMALL = ['--d-model', '32', '--n-heads', '4', '--backend', 'wasm', '--seed', '1'];

/** Each run: its grok train arguments and the report figures (element ids) to save. */
const RUNS = [
  { name: 'modular-addition', args: ['--preset', 'modular-addition', '--p', '23', '--train-fraction', '0.6', '--d-model', '32', '--n-heads', '4',
    '--d-mlp', '64', '--lr', '0.01', '--epochs', '1500', '--eval-every', '25', '--checkpoint-every', '250', '--stop-when-grokked', '4', '--backend', 'wasm', '--seed', '0'],
  figures: ['loss', 'excluded-restricted', 'excluded-by-frequency', 'circuit-embedding', 'circuit-clusters', 'circuit-logit-fit', 'clusters', 'logits-2d'] },
  { name: 'digit-addition', args: ['--preset', 'digit-addition', ...SMALL, '--digits', '3', '--train-size', '600', '--test-size', '500',
    '--epochs', '1500', '--eval-every', '10', '--checkpoint-every', '250', '--weight-decay', '0.1', '--lr', '0.003'],
  figures: ['digit-loss-test', 'digit-phases'] },
  { name: 'max-element', args: ['--preset', 'max-element', ...SMALL, '--lr', '0.003', '--epochs', '1500', '--eval-every', '10', '--checkpoint-every', '100',
    '--batch-size', '64', '--test-size', '500'],
  figures: ['target-loss', 'target-phases', 'max-attention'] },
  { name: 'repeated-subsequence', args: ['--preset', 'repeated-subsequence-infinite', ...SMALL, '--lr', '0.003', '--epochs', '2000', '--eval-every', '20',
    '--checkpoint-every', '100', '--batch-size', '64', '--test-size', '300'],
  figures: ['repeat-loss', 'induction-scores', 'previous-token-scores', 'induction-pattern', 'previous-token-pattern'] },
];

mkdirSync(OUT, { recursive: true });
const only = process.argv.slice(2);
const record = [];
const browser = await launchBrowser();
try {
  for (const run of RUNS.filter((r) => only.length === 0 || only.includes(r.name))) {
    const dir = mkdtempSync(join(tmpdir(), `guide-${run.name}-`));
    console.error(`grok train ${run.args.join(' ')}`);
    const r = spawnSync(process.execPath, ['packages/cli/dist/bin.js', 'train', ...run.args, '--out', dir, '--quiet'], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error(`the ${run.name} run failed`);
    const server = await serveDir(dir);
    try {
      const page = await browser.newPage();
      await page.setViewportSize({ width: 1200, height: 900 });
      await page.goto(`${server.url}/report.html`);
      await page.waitForSelector('body[data-rendered="true"]', { timeout: 60_000 });
      for (const id of run.figures) {
        const figure = page.locator(`figure:has(#fig-${id})`);
        await figure.screenshot({ path: join(OUT, `${run.name}-${id}.png`) });
      }
      await page.close();
    } finally {
      server.close();
    }
    record.push({ name: run.name, command: `grok train ${run.args.join(' ')}`, figures: run.figures.map((id) => `${run.name}-${id}.png`) });
  }
} finally {
  await browser.close();
}
if (only.length === 0) writeFileSync(join(OUT, 'figures.json'), `${JSON.stringify({ date: new Date().toISOString(), runs: record }, null, 2)}\n`);
console.error(`wrote ${record.reduce((n, r) => n + r.figures.length, 0)} figures to ${OUT}`);
