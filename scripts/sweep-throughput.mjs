// `pnpm bench:sweeps`: runs per hour of one 8-point sweep of small runs (p = 23) on this machine, run one at a time,
// on local pools of several sizes and thread counts, as stacks of the points that differ only in weight decay
// (`--stack`), and through two `grok worker`s on a queue; records
// docs/results/sweep-throughput.json, from which the Sweeps guide's table is written (`pnpm docs:tables`). Needs the
// CLI built and Debian's redis-server. Each configuration starts from an empty sweep directory.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';

const BIN = 'packages/cli/dist/bin.js';
const POINT = ['--p', '23', '--train-fraction', '0.6', '--d-model', '32', '--n-heads', '4', '--d-head', '8', '--d-mlp', '64', '--lr', '0.01',
  '--epochs', '500', '--eval-every', '25', '--checkpoint-every', '250', '--backend', 'wasm'];
const SWEEP = ['sweep', ...POINT, '--grid', 'weight-decay=0.3,1', '--seeds', '0-3', '--no-analyze', '--quiet'];
const POINTS = 8;

/** How each configuration runs the sweep: local pool size and threads, or two queue workers. */
const CONFIGS = [
  { name: 'one at a time, 2 wasm threads', mode: 'local', workers: 1, threads: 2 },
  { name: 'one at a time, 1 wasm thread', mode: 'local', workers: 1, threads: 1 },
  { name: 'local pool of 2, 1 thread each', mode: 'local', workers: 2, threads: 1 },
  { name: 'local pool of 3, 1 thread each', mode: 'local', workers: 3, threads: 1 },
  { name: 'local pool of 4, 1 thread each', mode: 'local', workers: 4, threads: 1 },
  { name: 'local pool of 2, 2 threads each', mode: 'local', workers: 2, threads: 2 },
  { name: 'stacks of 2 (--stack 2), local pool of 2, 1 thread each', mode: 'local', workers: 2, threads: 1, stack: 2 },
  { name: 'stacks of 4 (--stack 4), local pool of 2, 1 thread each', mode: 'local', workers: 2, threads: 1, stack: 4 },
  { name: 'one stack of 8 (--stack 8), 1 wasm thread', mode: 'local', workers: 1, threads: 1, stack: 8 },
  { name: 'one stack of 8 (--stack 8), 2 wasm threads', mode: 'local', workers: 1, threads: 2, stack: 8 },
  { name: 'queue: 2 grok workers, 1 thread each', mode: 'queue', workers: 2, threads: 1 },
];

const freePort = () => new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});

async function timeLocal(config, out) {
  const start = performance.now();
  const stack = config.stack ? ['--stack', String(config.stack)] : [];
  const r = spawnSync(process.execPath, [BIN, ...SWEEP, ...stack, '--workers', String(config.workers), '--threads', String(config.threads), '--out', out], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${config.name}: grok sweep failed with status ${r.status}`);
  return (performance.now() - start) / 1000;
}

async function timeQueue(config, out) {
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  const url = `redis://127.0.0.1:${port}`;
  const workers = Array.from({ length: config.workers }, () =>
    spawn(process.execPath, [BIN, 'worker', '--queue', url, '--concurrency', '1', '--threads', String(config.threads)], { stdio: 'ignore' }));
  try {
    const start = performance.now();
    const r = spawnSync(process.execPath, [BIN, ...SWEEP, '--queue', url, '--poll', '200', '--out', out], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`${config.name}: grok sweep failed with status ${r.status}`);
    return (performance.now() - start) / 1000;
  } finally {
    for (const w of workers) w.kill('SIGINT');
    await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r() : w.once('exit', r)))));
    redis.kill('SIGTERM');
  }
}

// The machine may be shared: every configuration runs ROUNDS times (default 2), in forward then reverse order, so
// that a busy spell does not fall on one configuration only; the table shows the median.
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const walls = CONFIGS.map(() => []);
const loads = CONFIGS.map(() => []);
for (let round = 0; round < ROUNDS; round++) {
  const order = CONFIGS.map((_, i) => i);
  if (round % 2) order.reverse();
  for (const i of order) {
    const config = CONFIGS[i];
    const out = join(mkdtempSync(join(os.tmpdir(), 'grok-bench-')), 'sweep');
    loads[i].push(Math.round(os.loadavg()[0] * 100) / 100);
    const wallS = config.mode === 'queue' ? await timeQueue(config, out) : await timeLocal(config, out);
    walls[i].push(Math.round(wallS * 10) / 10);
    console.error(`round ${round + 1}, ${config.name}: ${wallS.toFixed(1)} s, ${Math.round((POINTS * 3600) / wallS)} runs/hour`);
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const results = CONFIGS.map((config, i) => ({
  ...config, wallS: median(walls[i]), runsPerHour: Math.round((POINTS * 3600) / median(walls[i])), wallsS: walls[i], loadBefore: loads[i],
}));

const record = {
  date: new Date().toISOString(),
  command: `grok ${SWEEP.join(' ')}`,
  points: POINTS,
  rounds: ROUNDS,
  machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  results,
};
mkdirSync('docs/results', { recursive: true });
writeFileSync('docs/results/sweep-throughput.json', `${JSON.stringify(record, null, 2)}\n`);
console.error('recorded docs/results/sweep-throughput.json');
const tables = spawnSync(process.execPath, ['scripts/docs-tables.mjs'], { stdio: 'inherit' });
process.exit(tables.status ?? 1);
