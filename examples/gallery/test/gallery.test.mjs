// Browser tests of the built gallery (dist/) in headless Chromium, on webgl and on webgpu (SwiftShader): every page
// loads, trains or analyses with tiny settings, shows the backend asked for, draws its plots with data, and logs no
// console error. Run after `vite build`.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, serveDir } from '@grokking/browser-testing';
import { decodeCheckpoint } from '@grokking/trainer';
import { makeFixtures } from './fixtures.mjs';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'grok-gallery-'));
const TIMEOUT = 180_000;

/** Opens a page, collecting console errors and uncaught exceptions (the page's and its workers'). */
async function open(browser, url) {
  const page = await browser.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  return { page, errors };
}

const points = (page, id) => page.$eval(`#${id}`, (el) => Number(el.dataset.points ?? 0));
const waitPoints = (page, id, min = 1) =>
  page.waitForFunction(([sel, n]) => Number(document.querySelector(sel)?.dataset.points ?? 0) >= n, [`#${id}`, min], { timeout: TIMEOUT });
const waitState = (page, state) =>
  page.waitForFunction((s) => ['error', s].includes(document.querySelector('#status').dataset.state), state, { timeout: TIMEOUT })
    .then(async () => assert.equal(await page.$eval('#status', (el) => el.dataset.state), state, await page.textContent('#status')));
const activeBackend = (page) => page.$eval('#backend', (el) => el.dataset.active);

async function liveGrokking(browser, base, backend) {
  const { page, errors } = await open(browser, `${base}/grokking.html?autostart=1&backend=${backend}&p=13&dModel=16&trainFraction=0.6&lr=0.01&epochs=100000&evalEvery=10&metricsEvery=20`);
  await waitPoints(page, 'plot-loss', 6); // three evaluations, two series
  assert.equal(await activeBackend(page), backend);
  await page.click('#pause');
  await waitState(page, 'paused');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), page.click('#download')]);
  const file = join(work, `live-${backend}.safetensors`);
  await download.saveAs(file);
  const { readFileSync } = await import('node:fs');
  const checkpoint = decodeCheckpoint(new Uint8Array(readFileSync(file)));
  assert.equal(checkpoint.params['embed.W_E'].shape.join(), '14,16', 'the checkpoint holds the p = 13, d_model 16 model');
  const before = await points(page, 'plot-loss');
  await page.click('#pause'); // now "Resume"
  await waitPoints(page, 'plot-loss', before + 2);
  for (const id of ['plot-loss', 'plot-accuracy', 'plot-embed-norms', 'plot-measures']) await waitPoints(page, id);
  const maxNorm = await page.$eval('#plot-embed-norms', (el) => Number(el.dataset.max));
  assert.ok(maxNorm > 0, `W_E's Fourier norms should not all be zero, max ${maxNorm}`);
  await page.click('#pause');
  await waitState(page, 'paused');
  await page.close();
  return { errors, file, epoch: checkpoint.epoch };
}

async function explorer(browser, base, backend, files, keyFrequencies) {
  const { page, errors } = await open(browser, `${base}/explorer.html?backend=${backend}`);
  for (const file of files) {
    await page.setInputFiles('#file', file);
    await page.waitForFunction(() => ['done', 'error'].includes(document.querySelector('#status').dataset.state), null, { timeout: TIMEOUT });
    await waitState(page, 'done');
    assert.equal(await activeBackend(page), backend);
    for (const id of ['plot-embed', 'plot-neuron-fourier', 'plot-logit-fourier', 'plot-attention-0']) {
      assert.ok((await points(page, id)) > 0, `${id} drew data for ${file}`);
    }
    const summary = await page.textContent('#summary');
    if (keyFrequencies.has(file)) {
      assert.ok(summary.includes(`key frequencies ${keyFrequencies.get(file).join(', ')} (from neurons)`), `key frequencies in: ${summary}`);
      assert.ok((await points(page, 'plot-clusters')) > 0);
    }
    // Reset the state so the next file's completion is seen.
    await page.$eval('#status', (el) => { el.dataset.state = ''; });
  }
  await page.close();
  return errors;
}

async function phaseChanges(browser, base, backend, task, query, plots) {
  const { page, errors } = await open(browser, `${base}/phase-changes.html?autostart=1&backend=${backend}&task=${task}&${query}`);
  await waitState(page, 'done');
  assert.equal(await activeBackend(page), backend);
  for (const id of plots) assert.ok((await points(page, id)) > 0, `${task}: ${id} drew data`);
  await page.close();
  return errors;
}

async function index(browser, base) {
  const { page, errors } = await open(browser, `${base}/index.html`);
  const links = await page.$$eval('.card a', (as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, ['./grokking.html', './explorer.html', './phase-changes.html']);
  await page.close();
  return errors;
}

const fixtures = await makeFixtures(work);
const keyFrequencies = new Map([[fixtures.checkpoint, fixtures.keyFrequencies], [fixtures.saved, fixtures.keyFrequencies]]);
const server = await serveDir(dist);
const browser = await launchBrowser();
let passed = 0;
let failed = 0;
async function check(name, fn) {
  const start = performance.now();
  try {
    const errors = await fn();
    assert.deepEqual(errors, [], `console errors on ${name}`);
    passed++;
    console.log(`ok   ${name} (${((performance.now() - start) / 1000).toFixed(1)} s)`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${name}: ${err.stack ?? err}`);
  }
}
try {
  await check('index page links every example', () => index(browser, server.url));
  for (const backend of ['webgl', 'webgpu']) {
    let live = null;
    await check(`${backend}: live grokking trains, pauses, downloads, resumes`, async () => {
      live = await liveGrokking(browser, server.url, backend);
      return live.errors;
    });
    const files = [fixtures.checkpoint, fixtures.saved, ...(live ? [live.file] : [])];
    await check(`${backend}: explorer analyses a trainer checkpoint, a saved model and the live page's download`,
      () => explorer(browser, server.url, backend, files, keyFrequencies));
    await check(`${backend}: phase changes, digit addition per-digit curves`, () => phaseChanges(browser, server.url, backend,
      'digit-addition', 'digits=2&dModel=16&epochs=30&evalEvery=10&trainSize=0&batchSize=32&testSize=64', ['plot-loss', 'plot-accuracy', 'plot-slots']));
    await check(`${backend}: phase changes, repeated subsequence`, () => phaseChanges(browser, server.url, backend,
      'repeated-subsequence', 'dModel=16&epochs=30&evalEvery=10&trainSize=64&testSize=64', ['plot-loss', 'plot-accuracy']));
    await check(`${backend}: phase changes, max element per-target curves`, () => phaseChanges(browser, server.url, backend,
      'max-element', 'dModel=16&epochs=30&evalEvery=10&metricsEvery=10&trainSize=0&batchSize=32&testSize=200', ['plot-loss', 'plot-targets']));
  }
} finally {
  await browser.close();
  server.close();
}
console.log(`gallery: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
