// `pnpm bench`: times the seed run's training epoch on every Node backend and against a PyTorch CPU reference, and
// one training step of the other workloads (workloads.ts) likewise; prints a table and writes results/latest.json
// and results/latest.md. Options:
//   --backends cpu,wasm     tfjs backends (default: every one installed)
//   --formulations last,all which formulations (default both)
//   --runner trainer,trainer-general,naive-tfjs  which tfjs epochs of the seed run (runners.ts; default all three;
//                           trainer-general, the fused path off, runs `last` only: its `all` is the trainer's)
//   --workloads repeated-subsequence,digit-addition,modular-addition-p23  which other workloads (default all; `none`
//                           skips them)
//   --quick                 fewer epochs (a smoke run; noisier numbers)
//   --no-torch              skip the PyTorch reference;  --no-install  never run apt-get
//   --no-analysis           skip timing one checkpoint's Fourier analysis and progress measures
//   --no-browser            skip the browser row: the trainer's epoch on wasm in headless Chromium (browser-child.ts;
//                           skipped by itself where Chromium is missing)
//   --rounds N              paired rounds for the targets' ratios (paired.ts; default 7, 1 with --quick, 0 to skip)
//   --many [--models 1,4,16]  many runs at once only: K models in one stacked step against K runs one after
//                           another, on wasm (stacked-bench.ts); writes results/stacked.json and adds it to
//                           results/latest.md
//   --grok                  the long mode only: train the seed run until test accuracy >= 99.9% (grok-child.ts),
//                           write results/grok.json and add it to results/latest.md
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { machineInfo } from './machine';
import { backendLabel, buildResults, toMarkdown, type BenchResults, type GrokRecord, type Row } from './report';
import type { GrokResult } from './grok-child';
import type { Formulation } from './setup';
import type { TfjsResult } from './tfjs-child';
import type { AnalysisResult } from './analysis-child';
import { pairedRounds, type PairedResult } from './paired';
import { ensureTorch, runTorch, torchPackageVersion } from './torch-reference';
import { benchStacked } from './stacked-bench';
import { stackedLines, type StackedRecord } from './stacked-report';
import { benchWorkloads } from './workload-bench';
import type { WorkloadResult } from './workload-report';
import { isWorkloadName, WORKLOAD_NAMES } from './workloads';

const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(`--${name}`);
const option = (name: string, fallback: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};

/** The runners of runners.ts, by name (listed here so this parent process never loads tfjs). */
const RUNNER_NAMES = ['trainer', 'trainer-general', 'naive-tfjs'];

function installedBackends(): string[] {
  const require = createRequire(import.meta.url);
  const has = (pkg: string): boolean => {
    try {
      require.resolve(pkg);
      return true;
    } catch {
      return false;
    }
  };
  return ['cpu', 'wasm', 'tensorflow'].filter((b) => has(`@tensorflow/tfjs-${b === 'tensorflow' ? 'node' : `backend-${b}`}`));
}

function runTfjs(runner: string, backend: string, formulation: Formulation, epochs: string, matmul: boolean): TfjsResult {
  const child = fileURLToPath(new URL('./tfjs-child.js', import.meta.url));
  const args = [child, '--backend', backend, '--formulation', formulation, '--runner', runner, '--epochs', epochs];
  const out = spawnSync(process.execPath, matmul ? [...args, '--matmul'] : args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (out.status !== 0) throw new Error(`tfjs ${runner} ${backend} ${formulation} failed:\n${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as TfjsResult;
}

/** The trainer's `last` epoch on wasm in headless Chromium (browser-child.ts), or why it was not timed. */
function runBrowser(epochs: string): TfjsResult | string {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) return `no Chromium at ${chromium} (set CHROMIUM_PATH)`;
  const child = fileURLToPath(new URL('./browser-child.js', import.meta.url));
  const out = spawnSync(process.execPath, [child, '--formulation', 'last', '--epochs', epochs], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (out.status !== 0) throw new Error(`the browser row failed:\n${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as TfjsResult;
}

/** A tfjs child's result as a row of the table. */
function tfjsRow(r: TfjsResult, formulation: Formulation): Row {
  return { implementation: r.runner.split(' (')[0]!, backend: backendLabel(r), formulation, medianS: r.medianS, timesS: r.timesS,
    firstLoss: r.firstLoss, lastLoss: r.lastLoss, peakRssMb: r.peakRssMb, tensors: r.tensors };
}

const RESULTS = fileURLToPath(new URL('../results/', import.meta.url));

/** The runs of their own (`--grok`, `--many`): each records results/<key>.json, and latest.json holds it under <key>. */
type SideRuns = { grok: GrokRecord; stacked: StackedRecord };

/** The last recorded side run of a kind, if any. */
function lastSideRun<K extends keyof SideRuns>(key: K): SideRuns[K] | undefined {
  const path = `${RESULTS}${key}.json`;
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as SideRuns[K]) : undefined;
}

/** Writes results/<key>.json, and puts the record into latest.json and latest.md when they exist. */
function recordSideRun<K extends keyof SideRuns>(key: K, record: SideRuns[K]): void {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(`${RESULTS}${key}.json`, JSON.stringify(record, null, 2) + '\n');
  const latestPath = `${RESULTS}latest.json`;
  if (existsSync(latestPath)) {
    const latest: BenchResults = { ...(JSON.parse(readFileSync(latestPath, 'utf8')) as BenchResults), [key]: record };
    writeFileSync(latestPath, JSON.stringify(latest, null, 2) + '\n');
    writeFileSync(`${RESULTS}latest.md`, toMarkdown(latest));
  }
}

/** `--grok`: trains the seed run until it groks, records results/grok.json and re-renders results/latest.md. */
function grok(): void {
  const loadBefore = os.loadavg()[0]!;
  const child = fileURLToPath(new URL('./grok-child.js', import.meta.url));
  const args = [child, '--backend', option('backends', 'wasm'), '--threshold', option('threshold', '0.999'), '--max-epochs', option('max-epochs', '40000')];
  console.error(`training the seed run on ${option('backends', 'wasm')} until test accuracy >= ${option('threshold', '0.999')} ...`);
  const out = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  if (out.status !== 0) throw new Error('the grok run failed (see above)');
  const result = JSON.parse(out.stdout.trim().split('\n').pop()!) as GrokResult;
  const record: GrokRecord = { ...result, date: new Date().toISOString(), command: ['pnpm bench', ...argv].join(' '), loadBefore, loadAfter: os.loadavg()[0]! };
  recordSideRun('grok', record);
  console.log(JSON.stringify(record, null, 2));
}

/** `--many`: times K stacked models against K separate runs, records results/stacked.json, re-renders latest.md. */
function many(): void {
  const machine = machineInfo();
  const models = option('models', '1,4,16').split(',').map(Number);
  if (models.some((k) => !Number.isInteger(k) || k < 1)) throw new Error(`--models: expected whole numbers >= 1, got ${option('models', '')}`);
  const results = benchStacked({ backend: 'wasm', models, epochs: flag('quick') ? '1:3:3' : '3:30:10', log: (line) => console.error(line) });
  machine.loadAfter = os.loadavg()[0]!;
  const record: StackedRecord = { date: new Date().toISOString(), command: ['pnpm bench', ...argv].join(' '), machine, results };
  recordSideRun('stacked', record);
  console.log(stackedLines(results).join('\n'));
}

function main(): void {
  if (flag('many')) {
    many();
    return;
  }
  if (flag('grok')) {
    grok();
    return;
  }
  const quick = flag('quick');
  const formulations = option('formulations', 'last,all').split(',') as Formulation[];
  const backends = option('backends', installedBackends().join(',')).split(',');
  for (const b of backends) {
    if (!installedBackends().includes(b)) throw new Error(`--backends: ${b} is not one of the installed ${installedBackends().join(', ')}`);
  }
  for (const f of formulations) if (f !== 'last' && f !== 'all') throw new Error(`--formulations: expected last and/or all, got ${f}`);
  const runners = option('runner', RUNNER_NAMES.join(',')).split(',');
  for (const r of runners) if (!RUNNER_NAMES.includes(r)) throw new Error(`--runner: ${r} is not one of ${RUNNER_NAMES.join(', ')}`);
  const workloadOption = option('workloads', WORKLOAD_NAMES.join(','));
  const workloads = workloadOption === 'none' ? [] : workloadOption.split(',');
  for (const w of workloads) if (!isWorkloadName(w)) throw new Error(`--workloads: ${w} is not one of ${WORKLOAD_NAMES.join(', ')} (or none)`);
  const machine = machineInfo();
  const rows: Row[] = [];
  const log = (s: string): void => console.error(s);

  let reference: BenchResults['reference'] = { skipped: 'not run (--no-torch)' };
  const skipped = flag('no-torch') ? 'not run (--no-torch)' : ensureTorch(!flag('no-install'));
  if (skipped) {
    log(skipped);
    reference = { skipped };
  } else {
    for (const f of formulations) {
      log(`PyTorch ${f} ...`);
      const t = runTorch(f, quick ? '2:5:2' : '5:50:10', rows.every((r) => !r.reference));
      const blas = `${t.blas.name}${t.blas.threads ? `, ${t.blas.threads} threads` : ''}`;
      if (t.sgemm_gflops !== undefined) {
        reference = { torch: `torch ${t.torch_version} (Debian python3-torch ${torchPackageVersion() ?? '?'})`, python: t.python,
          blas, libraries: t.blas.libraries, torchThreads: t.torch_threads, sgemmGflops: t.sgemm_gflops };
      }
      rows.push({ implementation: 'PyTorch reference', backend: `CPU, ${blas}`, formulation: f, medianS: t.median_s, timesS: t.times_s,
        firstLoss: t.first_loss, lastLoss: t.last_loss, peakRssMb: t.peak_rss_mb, reference: true });
      log(`  ${t.median_s.toFixed(3)} s/epoch over ${t.times_s.length} epochs (${blas})`);
    }
  }

  for (const runner of runners) {
    for (const backend of backends) {
      formulations.forEach((f, i) => {
        if (runner === 'trainer-general' && f === 'all') return; // forward(tokens) takes the general path anyway: the trainer's `all` row
        log(`tfjs ${runner} ${backend} ${f} ...`);
        const measured = rows.find((x) => x.backend.startsWith(`tfjs-${backend}`))?.matmulGflops;
        const r = runTfjs(runner, backend, f, quick ? '1:3:3' : '3:30:10', i === 0 && measured === undefined);
        rows.push({ ...tfjsRow(r, f), matmulGflops: r.matmulGflops ?? measured });
        log(`  ${r.medianS.toFixed(3)} s/epoch over ${r.timesS.length} epochs; loss ${r.firstLoss.toFixed(3)} -> ${r.lastLoss.toFixed(3)}`);
      });
    }
  }

  if (!flag('no-browser') && runners.includes('trainer')) {
    log('tfjs trainer wasm in headless Chromium last ...');
    const r = runBrowser(quick ? '1:3:3' : '3:30:10');
    if (typeof r === 'string') {
      log(`  skipped: ${r}`);
    } else {
      rows.push(tfjsRow(r, 'last'));
      log(`  ${r.medianS.toFixed(3)} s/epoch over ${r.timesS.length} epochs; loss ${r.firstLoss.toFixed(3)} -> ${r.lastLoss.toFixed(3)}`);
    }
  }

  const workloadResults: WorkloadResult[] = benchWorkloads({
    names: workloads.filter(isWorkloadName), backends, torch: !skipped, log,
    torchEpochs: quick ? '2:5:2' : '5:50:10', tfjsEpochs: quick ? '1:3:3' : '3:30:10',
  });

  let analysis: AnalysisResult | undefined;
  if (!flag('no-analysis') && backends.includes('wasm')) {
    log('analysis of one p 113 checkpoint on wasm ...');
    const child = fileURLToPath(new URL('./analysis-child.js', import.meta.url));
    const out = spawnSync(process.execPath, [child, '--backend', 'wasm', '--repeats', quick ? '2' : '5'], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (out.status !== 0) throw new Error(`analysis timing failed:\n${out.stderr}`);
    analysis = JSON.parse(out.stdout.trim().split('\n').pop()!) as AnalysisResult;
  }

  let paired: PairedResult | undefined;
  const rounds = Number(option('rounds', quick ? '1' : '7'));
  if (!Number.isInteger(rounds) || rounds < 0) throw new Error(`--rounds: expected a whole number >= 0, got ${option('rounds', '')}`);
  if (!skipped && rounds > 0 && backends.includes('wasm') && runners.includes('trainer')) {
    const epochs = quick ? '2:5:2' : '5:30:6'; // each side: 5 to 30 timed epochs, up to 6 s
    paired = pairedRounds(rounds, 'trainer, tfjs-wasm, last', (i) => {
      log(`paired round ${i + 1}/${rounds}: PyTorch last, trainer wasm last, PyTorch all ...`);
      const torchLast = runTorch('last', epochs, false).median_s;
      const ours = runTfjs('trainer', 'wasm', 'last', epochs, false).medianS;
      const torchAll = runTorch('all', epochs, false).median_s;
      log(`  ${ours.toFixed(4)} s / ${torchLast.toFixed(4)} s = ${(ours / torchLast).toFixed(3)} (last); / ${torchAll.toFixed(4)} s = ${(ours / torchAll).toFixed(3)} (all)`);
      return { torchLast, ours, torchAll };
    });
  }

  machine.loadAfter = os.loadavg()[0]!;
  const stackedRun = lastSideRun('stacked');
  const results = {
    ...buildResults(machine, ['pnpm bench', ...argv].join(' '), rows, reference, analysis, lastSideRun('grok')),
    paired,
    ...(workloadResults.length ? { workloads: workloadResults } : {}),
    ...(stackedRun ? { stacked: stackedRun } : {}),
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(`${RESULTS}latest.json`, JSON.stringify(results, null, 2) + '\n');
  const md = toMarkdown(results);
  writeFileSync(`${RESULTS}latest.md`, md);
  console.log(md);
}

try {
  main();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
