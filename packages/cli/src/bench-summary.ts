// The benchmarks page's summary, written from benchmarks/results/latest.json (what `pnpm bench` records): the docs
// type none of its figures.

/** The parts of latest.json the summary reads. */
export interface BenchLatest {
  date: string;
  command: string;
  machine: { cpu: string; cores: number; loadBefore: number; loadAfter: number };
  rows: { implementation: string; backend: string; formulation: string; medianS: number; vsTorchLast: number | null; vsTorchAll: number | null }[];
  paired?: { rounds: number; ours: string; oursS: number[]; torchLastS: number[]; vsLast: number[]; vsAll: number[] } | null;
  grok?: { backend: string; threads: number | null; grokked: boolean; threshold: number; epoch: number; wallS: number; sPerEpoch: number; peakRssMb: number; tensors: { min: number; max: number }; date: string } | null;
  /** One training step of other presets (benchmarks/src/workloads.ts), each side from the same weights and examples. */
  workloads?: BenchWorkload[] | null;
  /** The last `pnpm bench --many`: K models stacked against K runs one after another (benchmarks/src/stacked-report.ts). */
  stacked?: { date: string; command: string; machine: { loadBefore: number; loadAfter?: number }; results: BenchStacked[] } | null;
}

/** One workload's many-runs timings as latest.json records them. */
export interface BenchStacked {
  workload: string;
  model: string;
  examples: number;
  backend: string;
  runEpochs: number;
  single: { medianS: number };
  rows: { models: number; medianS: number; separateS: number; speedup: number; runsPerHour: number; separateRunsPerHour: number }[];
  crossover: number | null;
}

/** One preset's step as latest.json records it. */
export interface BenchWorkload {
  name: string;
  model: string;
  examples: number;
  positions: string;
  rows: { implementation: string; backend: string; medianS: number; firstLoss: number; reference?: boolean; vsTorch?: number | null; initLossRelDiff?: number | null }[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fix = (v: number | null | undefined, digits: number) => (v === null || v === undefined ? '–' : v.toFixed(digits));
const spread = (xs: number[], digits: number) => `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
const seconds = (s: number) => (s < 1 ? s.toFixed(4) : s.toPrecision(3));
const minutes = (s: number) => `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;

/** The other presets' steps: one table, then what each preset's step is; nothing when the file has none. */
function workloadLines(workloads: readonly BenchWorkload[]): string[] {
  if (workloads.length === 0) return [];
  const initLoss = (row: BenchWorkload['rows'][number]) =>
    `${row.firstLoss.toFixed(5)}${row.reference || row.initLossRelDiff === null || row.initLossRelDiff === undefined ? '' : ` (${row.initLossRelDiff.toExponential(0)})`}`;
  return [
    '',
    'One training step of other presets in the same run (a full-batch step, or one sampled batch for an infinite-data preset), PyTorch and ours from the same initial weights on the same examples (in brackets, how far the loss at init is from PyTorch\'s, relative to it):',
    '',
    '| One step of | implementation | s / step | ÷ PyTorch | loss at init |',
    '|---|---|---:|---:|---:|',
    ...workloads.flatMap((w) => w.rows.map((row) =>
      `| \`${w.name}\` | ${row.implementation}, ${row.backend} | ${seconds(row.medianS)} | ${fix(row.vsTorch, 2)} | ${initLoss(row)} |`)),
    '',
    ...workloads.map((w) => `- \`${w.name}\`: ${w.model}; ${w.examples} examples; ${w.positions}.`),
  ];
}

/** The many-runs timings: one table over the workloads, then the crossover of each; nothing when the file has none. */
function stackedLines(record: NonNullable<BenchLatest['stacked']>): string[] {
  const stacked = record.results;
  if (stacked.length === 0) return [];
  const when = `\`${record.command}\`, ${record.date.slice(0, 16).replace('T', ' ')} UTC, load average ${record.machine.loadBefore} to ${record.machine.loadAfter ?? '?'}`;
  return [
    '',
    `Many runs at once (${when}): K models of one shape trained in one stacked step (\`trainStacked\`), against K runs one after another, each with the trainer's own step (fused where the model has a fused path); runs per hour count runs of ${stacked[0]!.runEpochs.toLocaleString('en')} epochs:`,
    '',
    '| Model | Backend | K | stacked s / step | K separate s / step | speed-up | runs / hour stacked | runs / hour separate |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    ...stacked.flatMap((w) => w.rows.map((row) =>
      `| \`${w.workload}\` | ${w.backend} | ${row.models} | ${seconds(row.medianS)} | ${seconds(row.separateS)} | ${row.speedup.toFixed(2)}× | ${row.runsPerHour.toFixed(1)} | ${row.separateRunsPerHour.toFixed(1)} |`)),
    '',
    ...stacked.map((w) => `- \`${w.workload}\`, ${w.backend}: ${w.model}; ${w.examples} examples; ${w.crossover === null ? 'the stack was not faster at any K measured' : `the stack is faster from K = ${w.crossover}`}.`),
  ];
}

/**
 * The summary of a `pnpm bench` run in Markdown.
 *
 * @example
 * benchSummaryMarkdown(JSON.parse(readFileSync('benchmarks/results/latest.json', 'utf8')));
 */
export function benchSummaryMarkdown(r: BenchLatest): string {
  const lines = [
    `On the ${r.machine.cores}-core reference machine (${r.machine.cpu}), in one \`${r.command}\` run (${r.date.slice(0, 16).replace('T', ' ')} UTC, load average ${r.machine.loadBefore} to ${r.machine.loadAfter}):`,
    '',
    '| One epoch of the seed run | positions | s / epoch | ÷ PyTorch last | ÷ PyTorch all |',
    '|---|---|---:|---:|---:|',
  ];
  if (r.paired) {
    const p = r.paired;
    lines.push(`| ${p.ours}, in ${p.rounds} paired rounds: median (min–max) | last | ${spread(p.oursS, 3)} | ${spread(p.vsLast, 2)} | ${spread(p.vsAll, 2)} |`);
  }
  for (const row of r.rows) {
    lines.push(`| ${row.implementation}, ${row.backend} | ${row.formulation} | ${seconds(row.medianS)} | ${fix(row.vsTorchLast, 2)} | ${fix(row.vsTorchAll, 2)} |`);
  }
  if (r.paired) {
    lines.push('', `Within the paired rounds PyTorch's last-position epoch took ${Math.min(...r.paired.torchLastS).toFixed(3)} to ${Math.max(...r.paired.torchLastS).toFixed(3)} s: the paired ratios, each taken within its round, are the figures to quote.`);
  }
  if (r.rows.some((row) => row.implementation.includes('general path'))) {
    lines.push('', 'The general-path rows are the trainer with the model\'s fused one-layer path turned off (`model.fastPath = false`), asked for the last position only; the trainer\'s `all` rows run the general path as well.');
  }
  lines.push(...workloadLines(r.workloads ?? []));
  if (r.stacked) lines.push(...stackedLines(r.stacked));
  const g = r.grok;
  if (g) {
    lines.push('', `Time to grok (\`pnpm bench --grok\`, ${g.backend}${g.threads ? ` with ${g.threads} threads` : ''}, ${g.date.slice(0, 16).replace('T', ' ')} UTC): ${g.grokked ? `test accuracy ≥ ${(100 * g.threshold).toFixed(1)}% at epoch ${g.epoch}` : `not grokked by epoch ${g.epoch}`} after ${minutes(g.wallS)} (${g.sPerEpoch.toFixed(3)} s per epoch including evaluations), peak RSS ${Math.round(g.peakRssMb)} MB, ${g.tensors.min === g.tensors.max ? `${g.tensors.min} live tensors at every evaluation` : `${g.tensors.min} to ${g.tensors.max} live tensors`}.`);
  }
  return lines.join('\n');
}
