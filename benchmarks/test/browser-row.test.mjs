// The benchmark's browser row against its Node row: the trainer's epoch on wasm in headless Chromium (browser-child)
// starts from the same weights and data as in Node (tfjs-child), so both report the same loss before their first
// step; the page is cross-origin isolated and runs the project's wasm kernels (the child refuses otherwise), runs SIMD,
// and leaks no tensors. Run after the package is built (turbo's test:browser depends on the build).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const run = (script, args) => {
  const out = spawnSync(process.execPath, [fileURLToPath(new URL(`../dist/${script}`, import.meta.url)), ...args],
    { encoding: 'utf8', env: { ...process.env, GROKKING_WASM_THREADS: '1' } });
  assert.equal(out.status, 0, `${script} failed:\n${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop());
};

const browser = run('browser-child.js', ['--formulation', 'last', '--epochs', '2:2:1']);
const node = run('tfjs-child.js', ['--backend', 'wasm', '--formulation', 'last', '--runner', 'trainer', '--epochs', '2:2:1']);
assert.equal(browser.backend, 'wasm in Chromium');
assert.equal(browser.simd, true);
assert.ok(browser.threads >= 1, `threads ${browser.threads}`);
assert.equal(browser.tensors.leaked, 0);
assert.ok(browser.timesS.length >= 2 && browser.timesS.every((t) => t > 0), `epoch times ${browser.timesS}`);
// The same model, data and loss: the first losses agree to float32 rounding (the two builds sum in their own order).
assert.ok(Math.abs(browser.firstLoss - node.firstLoss) <= 1e-5 * Math.abs(node.firstLoss),
  `first loss in Chromium ${browser.firstLoss} against Node ${node.firstLoss}`);
assert.ok(browser.lastLoss < browser.firstLoss, `the loss falls over the timed steps: ${browser.firstLoss} -> ${browser.lastLoss}`);
console.log(`benchmark browser row: ${browser.medianS.toFixed(3)} s/epoch on ${browser.threads} thread(s); first loss ${browser.firstLoss} (Node ${node.firstLoss})`);
