// Browser tests of the built gallery (dist/) in headless Chromium, on webgl and webgpu (SwiftShader) and on wasm:
// every page loads, trains or analyses with tiny settings, shows the backend asked for, draws its plots with data, and
// logs no console error. Beyond that, the live page shows its speed and its train loss falls (its first evaluation
// against its last), and the explorer shows for the committed checkpoint (test/fixtures/) the key frequencies that
// @grokking/progress-measures' analyzeModel finds in Node for the same file. Run after `vite build`.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CROSS_ORIGIN_ISOLATED, launchBrowser, serveDir } from '@grokking/browser-testing';
import { saveModel } from '@grokking/model';
import { decodeCheckpoint } from '@grokking/trainer';
import { CHECKPOINT, nodeAnalysis, readModel } from './fixtures.mjs';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'grok-gallery-'));
const TIMEOUT = 180_000;

/** Opens a page, collecting console errors and uncaught exceptions (the page's and its workers'). */
async function open(browser, url, initScript) {
  const page = await browser.newPage();
  const errors = [];
  const workers = [];
  page.on('worker', (w) => workers.push(w.url()));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  if (initScript) await page.addInitScript(initScript);
  await page.goto(url);
  return { page, errors, workers };
}

/** Before the page's scripts run: keeps every evaluation the training worker sends the page in `window.evals`. */
function recordEvals() {
  window.evals = [];
  const PageWorker = window.Worker;
  window.Worker = class extends PageWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', ({ data }) => { if (data?.type === 'eval') window.evals.push(data.record); });
    }
  };
}

const points = (page, id) => page.$eval(`#${id}`, (el) => Number(el.dataset.points ?? 0));
const waitPoints = (page, id, min = 1) =>
  page.waitForFunction(([sel, n]) => Number(document.querySelector(sel)?.dataset.points ?? 0) >= n, [`#${id}`, min], { timeout: TIMEOUT });
const waitState = (page, state) =>
  page.waitForFunction((s) => ['error', s].includes(document.querySelector('#status').dataset.state), state, { timeout: TIMEOUT })
    .then(async () => assert.equal(await page.$eval('#status', (el) => el.dataset.state), state, await page.textContent('#status')));
const activeBackend = (page) => page.$eval('#backend', (el) => el.dataset.active);

async function liveGrokking(browser, base, backend) {
  const { page, errors, workers } = await open(browser, `${base}/grokking.html?autostart=1&backend=${backend}&p=13&dModel=16&trainFraction=0.6&lr=0.01&epochs=100000&evalEvery=10&metricsEvery=20`, recordEvals);
  await waitPoints(page, 'plot-loss', 6); // three evaluations, two series
  assert.equal(await activeBackend(page), backend);
  // The speed shown: epochs per second since the run started, from the page's own clock.
  const speed = await page.$eval('#speed', (el) => ({ rate: Number(el.dataset.rate), text: el.textContent }));
  assert.ok(speed.rate > 0 && speed.text.endsWith('epochs/s'), `speed shown: ${JSON.stringify(speed)}`);
  const shown = await page.textContent('#backend');
  if (backend === 'wasm') {
    // The page is cross-origin isolated, so the threaded build runs: it starts its pthread workers from blob: URLs.
    assert.ok(await page.evaluate(() => globalThis.crossOriginIsolated), 'the page should be cross-origin isolated');
    assert.ok(workers.some((u) => u.startsWith('blob:')), `wasm's threaded build started no pthread worker: ${workers}`);
    assert.match(shown, /^wasm \(SIMD, \d+ threads?\)$/);
  }
  await page.click('#pause');
  await waitState(page, 'paused');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), page.click('#download')]);
  const file = join(work, `live-${backend}.safetensors`);
  await download.saveAs(file);
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
  // Training works: the train loss of the last evaluation (after the pause and resume) is below the first's.
  const evals = await page.evaluate(() => window.evals);
  const [first, last] = [evals[0], evals[evals.length - 1]];
  assert.ok(evals.length >= 5 && last.epoch > first.epoch, `evaluations at epochs ${evals.map((r) => r.epoch)}`);
  assert.ok(evals.every((r) => Number.isFinite(r.trainLoss)), `train losses ${evals.map((r) => r.trainLoss)}`);
  // (On webgpu, SwiftShader: 2.74 at epoch 0, 2.22 at epoch 30, the earliest the last evaluation can be.)
  assert.ok(last.trainLoss < 0.9 * first.trainLoss,
    `train loss should fall by a tenth at least: ${first.trainLoss} at epoch ${first.epoch}, ${last.trainLoss} at epoch ${last.epoch}`);
  await page.close();
  return { errors, file, epoch: checkpoint.epoch, losses: [first, last], speed: speed.text, shown };
}

/** The key frequencies and their source as the explorer's summary states them. */
function shownKeyFrequencies(summary) {
  const match = /key frequencies ([\d, ]+|none) \(from (\w+)\)/.exec(summary);
  assert.ok(match, `no key frequencies in the summary: ${summary}`);
  return { keyFrequencies: match[1] === 'none' ? [] : match[1].split(', ').map(Number), source: match[2] };
}

async function explorer(browser, base, backend, files, references) {
  const { page, errors } = await open(browser, `${base}/explorer.html?backend=${backend}`);
  for (const file of files) {
    await page.setInputFiles('#file', file);
    await page.waitForFunction(() => ['done', 'error'].includes(document.querySelector('#status').dataset.state), null, { timeout: TIMEOUT });
    await waitState(page, 'done');
    assert.equal(await activeBackend(page), backend);
    for (const id of ['plot-embed', 'plot-neuron-fourier', 'plot-logit-fourier', 'plot-attention-0']) {
      assert.ok((await points(page, id)) > 0, `${id} drew data for ${file}`);
    }
    const reference = references.get(file);
    if (reference) {
      // The page's own analysis (explore-model.ts, on this backend) against analyzeModel in Node on the same file.
      assert.deepEqual(shownKeyFrequencies(await page.textContent('#summary')),
        { keyFrequencies: reference.keyFrequencies, source: reference.keyFrequencySource }, `${file}: the page against Node's analyzeModel`);
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

// The committed checkpoint, and the same weights as a saveModel file, each analysed in Node.
const saved = join(work, 'p23-model.safetensors');
const references = new Map([[CHECKPOINT, await nodeAnalysis(CHECKPOINT, 'checkpoint')]]);
const model = readModel(CHECKPOINT, 'checkpoint');
writeFileSync(saved, saveModel(model));
model.dispose();
references.set(saved, await nodeAnalysis(saved, 'saved'));
for (const [file, r] of references) {
  assert.ok(r.keyFrequencies.length > 0, `${file}: Node finds no key frequencies, so the comparison would say little`);
  console.log(`Node analyzeModel of ${file}: key frequencies ${r.keyFrequencies.join(', ')} (from ${r.keyFrequencySource})`);
}
// Cross-origin isolated, as `vite preview` serves it, so the wasm backend may start its threaded build.
const server = await serveDir(dist, CROSS_ORIGIN_ISOLATED);
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

/** Every page on one backend, in its own browser. */
async function pagesOn(backend) {
  const browser = await launchBrowser();
  try {
    let live = null;
    await check(`${backend}: live grokking trains, pauses, downloads, resumes`, async () => {
      live = await liveGrokking(browser, server.url, backend);
      const [first, last] = live.losses;
      console.log(`     ${live.shown}: train loss ${first.trainLoss.toFixed(3)} at epoch ${first.epoch} -> ${last.trainLoss.toFixed(3)} at epoch ${last.epoch}; ${live.speed}`);
      return live.errors;
    });
    const files = [CHECKPOINT, saved, ...(live ? [live.file] : [])];
    await check(`${backend}: explorer analyses a trainer checkpoint, a saved model and the live page's download; key frequencies as in Node`,
      () => explorer(browser, server.url, backend, files, references));
    await check(`${backend}: phase changes, digit addition per-digit curves`, () => phaseChanges(browser, server.url, backend,
      'digit-addition', 'digits=2&dModel=16&epochs=30&evalEvery=10&trainSize=0&batchSize=32&testSize=64', ['plot-loss', 'plot-accuracy', 'plot-slots']));
    // 10 epochs: on webgpu (SwiftShader) this task's model takes ~3 s an epoch and ~40 s before its first evaluation.
    await check(`${backend}: phase changes, repeated subsequence`, () => phaseChanges(browser, server.url, backend,
      'repeated-subsequence', 'dModel=16&epochs=10&evalEvery=5&trainSize=64&testSize=64', ['plot-loss', 'plot-accuracy']));
    await check(`${backend}: phase changes, max element per-target curves`, () => phaseChanges(browser, server.url, backend,
      'max-element', 'dModel=16&epochs=30&evalEvery=10&metricsEvery=10&trainSize=0&batchSize=32&testSize=200', ['plot-loss', 'plot-targets']));
  } finally {
    await browser.close();
  }
}

try {
  const browser = await launchBrowser();
  try {
    await check('index page links every example', () => index(browser, server.url));
  } finally {
    await browser.close();
  }
  // The backends at once, each in its own browser: most of a GPU page's time is SwiftShader compiling shaders on one
  // core, so two browsers use both cores of a 2-core machine; wasm needs no shaders.
  await Promise.all(['webgl', 'webgpu', 'wasm'].map(pagesOn));
} finally {
  server.close();
}
console.log(`gallery: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
