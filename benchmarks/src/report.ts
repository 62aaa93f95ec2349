import { epochFlops } from './flops';
import type { MachineInfo } from './machine';
import { SEED_RUN, type Formulation } from './setup';
import { PENDING } from './pending';
import type { AnalysisResult } from './analysis-child';
import type { GrokResult } from './grok-child';
import { pairedLines, type PairedResult } from './paired';
import { median } from './timing';
import { stackedLines, type StackedRecord } from './stacked-report';
import { workloadLines, type WorkloadResult } from './workload-report';

/** One timed implementation on one formulation. */
/**
 * A tfjs row's backend column: the backend, then its threads and SIMD where it reports them.
 *
 * @example
 * backendLabel({ backend: 'wasm', threads: 2, simd: true }); // 'tfjs-wasm, 2 threads, SIMD'
 */
export function backendLabel(r: { backend: string; threads: number | null; simd: boolean | null }): string {
  return r.threads === null ? `tfjs-${r.backend}` : `tfjs-${r.backend}, ${r.threads} thread${r.threads === 1 ? '' : 's'}${r.simd ? ', SIMD' : ''}`;
}

export interface Row {
  implementation: string;
  /** Backend and threads, e.g. `wasm, 2 threads, SIMD` or `CPU, OpenBLAS 2 threads`. */
  backend: string;
  formulation: Formulation;
  medianS: number;
  timesS: number[];
  firstLoss: number;
  lastLoss: number;
  peakRssMb: number | null;
  /** The backend's own float32 matmul rate ([1024, 1024]²), when measured. */
  matmulGflops?: number | undefined;
  /** tfjs tensors: live after the timed epochs, and leaked (more than before the first epoch). */
  tensors?: { live: number; leaked: number } | undefined;
  reference?: boolean;
}

/** Everything one `pnpm bench` found. */
export interface BenchResults {
  date: string;
  command: string;
  machine: MachineInfo;
  reference: { torch: string; python: string; blas: string; libraries: string[]; torchThreads: number; sgemmGflops: number } | { skipped: string };
  flopsPerEpoch: Record<Formulation, { forward: number; total: number }>;
  rows: (Row & { epochsPerS: number; gflops: number; vsTorchLast?: number; vsTorchAll?: number; ofSgemm?: number; ofOwnMatmul?: number })[];
  /** One p 113 checkpoint's analysis timings (seconds per run, after a warm-up), when measured. */
  analysis?: AnalysisResult;
  /** The targets' ratios from paired rounds (paired.ts), when PyTorch and the wasm trainer both ran. */
  paired?: PairedResult;
  /** One training step of the other workloads (workloads.ts), when any ran. */
  workloads?: WorkloadResult[];
  /** The last `pnpm bench --many`: K stacked models against K separate runs (stacked-report.ts), when recorded. */
  stacked?: StackedRecord;
  /** The latest `pnpm bench --grok` (time to grok), with the date and load it ran at. */
  grok?: GrokRecord;
  pending: { name: string; needs: string; todo: string }[];
}

/** A time-to-grok result as stored in results/grok.json. */
export interface GrokRecord extends GrokResult {
  date: string;
  command: string;
  loadBefore: number;
  loadAfter: number;
}

/** Adds the derived columns (epochs/s, achieved GFLOP/s, ratios against PyTorch and against matmul rates). */
export function buildResults(
  machine: MachineInfo, command: string, rows: Row[], reference: BenchResults['reference'], analysis?: AnalysisResult, grok?: GrokRecord,
): BenchResults {
  const flopsPerEpoch = { last: epochFlops(SEED_RUN, 'last'), all: epochFlops(SEED_RUN, 'all') };
  const torchRow = (f: Formulation): Row | undefined => rows.find((r) => r.reference && r.formulation === f);
  const sgemm = 'sgemmGflops' in reference ? reference.sgemmGflops : undefined;
  return {
    date: new Date().toISOString(),
    command,
    machine,
    reference,
    flopsPerEpoch,
    rows: rows.map((r) => {
      const gflops = flopsPerEpoch[r.formulation].total / r.medianS / 1e9;
      return {
        ...r,
        epochsPerS: 1 / r.medianS,
        gflops,
        vsTorchLast: torchRow('last') && r.medianS / torchRow('last')!.medianS,
        vsTorchAll: torchRow('all') && r.medianS / torchRow('all')!.medianS,
        ofSgemm: sgemm && gflops / sgemm,
        ofOwnMatmul: r.matmulGflops ? gflops / r.matmulGflops : undefined,
      };
    }),
    ...(analysis ? { analysis } : {}),
    ...(grok ? { grok } : {}),
    pending: PENDING.map(({ name, needs, todo }) => ({ name, needs, todo })),
  };
}

const num = (x: number | undefined, digits = 3): string => (x === undefined ? '–' : x.toPrecision(digits));
const pct = (x: number | undefined): string => (x === undefined ? '–' : `${(100 * x).toFixed(0)}%`);

/** The results as markdown: the epoch table, the machine, matmul rates, the FLOP count and what is pending. */
export function toMarkdown(res: BenchResults): string {
  const m = res.machine;
  const ref = res.reference;
  const lines = [
    `Measured ${res.date.slice(0, 16).replace('T', ' ')} UTC with \`${res.command}\`.`,
    '',
    '| Implementation | Backend | Positions | s / epoch (median) | epochs / s | ÷ PyTorch last | ÷ PyTorch all | GFLOP/s | of sgemm | of own matmul | peak RSS (MB) | tfjs tensors live (leaked) |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...res.rows.map((r) =>
      `| ${r.implementation} | ${r.backend} | ${r.formulation} | ${num(r.medianS)} | ${num(r.epochsPerS)} | ${num(r.vsTorchLast)} | ${num(r.vsTorchAll)} | ${num(r.gflops)} | ${pct(r.ofSgemm)} | ${pct(r.ofOwnMatmul)} | ${r.peakRssMb === null ? '–' : r.peakRssMb.toFixed(0)} | ${r.tensors ? `${r.tensors.live} (${r.tensors.leaked})` : '–'} |`),
    '',
    `Median over ${res.rows.map((r) => r.timesS.length).join('/')} timed epochs after warm-up (rows in order). "last": only what the loss reads is computed; "all": every position, as the write-up's code does. Ratios are seconds per epoch divided by PyTorch's.`,
    '',
    '| Machine | |',
    '|---|---|',
    `| CPU | ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB |`,
    `| OS | ${m.os} |`,
    `| Node / tfjs | ${m.node} / ${m.tfjs} |`,
    'skipped' in ref
      ? `| PyTorch | ${ref.skipped} |`
      : `| PyTorch | ${ref.torch} (Python ${ref.python}), torch.set_num_threads(${ref.torchThreads}); BLAS: ${ref.blas} |`,
    `| Load average (1 min) before / after | ${m.loadBefore.toFixed(2)} / ${m.loadAfter?.toFixed(2) ?? '–'} |`,
    '',
    'Matmul rates, float32 [1024, 1024] @ [1024, 1024], best of several: ' +
      [
        ...('sgemmGflops' in ref ? [`PyTorch sgemm ${ref.sgemmGflops.toFixed(0)} GFLOP/s`] : []),
        ...[...new Map(res.rows.filter((r) => r.matmulGflops).map((r) => [r.backend, r.matmulGflops!])).entries()].map(
          ([backend, rate]) => `${backend} ${rate.toFixed(1)} GFLOP/s`),
      ].join('; ') + '.',
    '',
    `Work per epoch (forward + backward matmuls, 3 × Σ 2·m·k·n): last ${(res.flopsPerEpoch.last.total / 1e9).toFixed(2)} GFLOP, ` +
      `all ${(res.flopsPerEpoch.all.total / 1e9).toFixed(2)} GFLOP.`,
    ...(res.paired ? pairedLines(res.paired) : []),
    ...workloadLines(res.workloads ?? []),
    ...(res.stacked ? ['', `Many runs at once (\`${res.stacked.command}\`, ${res.stacked.date.slice(0, 16).replace('T', ' ')} UTC, load ${res.stacked.machine.loadBefore.toFixed(2)} to ${(res.stacked.machine.loadAfter ?? NaN).toFixed(2)}):`, ...stackedLines(res.stacked.results)] : []),
    ...(res.analysis ? analysisLines(res.analysis) : []),
    ...(res.grok ? grokLines(res.grok) : []),
    ...(res.pending.length ? ['', 'Not timed yet: ' + res.pending.map((p) => `${p.name} (needs ${p.needs})`).join('; ') + '.'] : []),
  ];
  return lines.join('\n') + '\n';
}

/** The analysis timings as a small markdown table. */
function analysisLines(a: AnalysisResult): string[] {
  const row = (what: string, times: number[]) => `| ${what} | ${median(times).toFixed(3)} | ${Math.min(...times).toFixed(3)} |`;
  return [
    '',
    `Analysis of one p 113 checkpoint of the write-up's model, tfjs-${a.backend}${a.threads ? `, ${a.threads} threads` : ''} (${a.fourierS.length} runs after a warm-up; tensors leaked: ${a.tensorsLeaked}):`,
    '',
    '| What | median s | best s |',
    '|---|---:|---:|',
    row('Fourier analysis, from the model (analyzeModel: every pair through the model, then the analysis)', a.fourierS),
    row('Fourier analysis of given activations (analyzeModularAddition)', a.activationsS),
    row('Progress measures (measureCheckpoint: losses, excluded and restricted loss, Gini, Σ w²)', a.measuresS),
  ];
}

/** The time to grok as a few lines of markdown. */
export function grokLines(g: GrokRecord): string[] {
  const min = (s: number) => `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  const what = g.grokked
    ? `test accuracy reached ${(100 * g.final.testAccuracy).toFixed(2)}% (≥ ${100 * g.threshold}%) at epoch ${g.epoch} after ${min(g.wallS)}`
    : `test accuracy stayed below ${100 * g.threshold}% (${(100 * g.final.testAccuracy).toFixed(2)}% at epoch ${g.epoch}, ${min(g.wallS)})`;
  return [
    '',
    `Time to grok (\`${g.command}\`, ${g.date.slice(0, 16).replace('T', ' ')} UTC, tfjs-${g.backend}${g.threads ? `, ${g.threads} threads` : ''}, load ${g.loadBefore.toFixed(2)} / ${g.loadAfter.toFixed(2)}): ` +
      `the seed run through @grokking/trainer, evaluated every ${g.evalEvery} epochs; ${what}, ${g.sPerEpoch.toFixed(3)} s per epoch with evaluations. ` +
      `Train accuracy 100% from epoch ${g.memorisedEpoch ?? '–'}. Peak RSS ${g.peakRssMb.toFixed(0)} MB; live tensors ${g.tensors.min === g.tensors.max ? `${g.tensors.min} at every evaluation` : `${g.tensors.min} to ${g.tensors.max}`}.`,
  ];
}
