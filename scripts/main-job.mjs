// `pnpm demo:record`: runs the main job (`pnpm demo`) as a user would, times it, and records what it found in
// docs/results/main-job.json; then rewrites the README's summary from that file (`pnpm docs:tables`). The README's
// figures for the main job come only from here.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';

const RUN = 'runs/modular-addition-seed0';
const loadBefore = os.loadavg()[0];
const start = performance.now();
const demo = spawnSync('pnpm', ['demo'], { stdio: ['ignore', 'inherit', 'inherit'] });
const wallS = (performance.now() - start) / 1000;
if (demo.status !== 0) throw new Error(`pnpm demo failed with status ${demo.status}`);

const metrics = readFileSync(`${RUN}/metrics.jsonl`, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
const analysis = JSON.parse(readFileSync(`${RUN}/analysis.json`, 'utf8'));
const config = JSON.parse(readFileSync(`${RUN}/config.json`, 'utf8'));
const first = (test) => metrics.find(test)?.epoch ?? null;
const neurons = analysis.fourier?.neurons;
const record = {
  date: new Date().toISOString(),
  command: 'pnpm demo',
  machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  loadBefore,
  loadAfter: os.loadavg()[0],
  backend: config.backendInfo?.active ?? config.backend,
  threads: config.backendInfo?.threads ?? null,
  wallS,
  finalEpoch: metrics.at(-1).epoch,
  memorisedAt: first((r) => r.trainAccuracy === 1),
  grokkedAt: analysis.grokkedAt,
  perfectTestAt: first((r) => r.testAccuracy === 1),
  finalTestAccuracy: metrics.at(-1).testAccuracy,
  keyFrequencies: analysis.keyFrequencies,
  logitFitVarianceExplained: analysis.fourier?.logits?.fit?.fractionOfVarianceExplained ?? null,
  neuronsInClusters: neurons ? neurons.fractions.length - neurons.clusters.unclustered.length : null,
  neurons: neurons ? neurons.fractions.length : null,
  phases: analysis.phases,
};
mkdirSync('docs/results', { recursive: true });
writeFileSync('docs/results/main-job.json', `${JSON.stringify(record, null, 2)}\n`);
console.error(`recorded docs/results/main-job.json: ${Math.round(wallS)} s, grokked at ${record.grokkedAt}, stopped at ${record.finalEpoch}`);
const tables = spawnSync(process.execPath, ['scripts/docs-tables.mjs'], { stdio: 'inherit' });
process.exit(tables.status ?? 1);
