// The README's account of the main job (`pnpm demo`), written from docs/results/main-job.json, which
// `pnpm demo:record` produces by running it: the README types none of these figures.

/** What docs/results/main-job.json holds (see scripts/main-job.mjs). */
export interface MainJobRecord {
  date: string;
  machine: { cpu: string; cores: number; memoryGb: number; node: string };
  backend: string;
  threads: number | null;
  /** The 1-minute load average before and after the run: other work sharing the cores slows it. */
  loadBefore?: number;
  loadAfter?: number;
  wallS: number;
  finalEpoch: number;
  memorisedAt: number | null;
  grokkedAt: number | null;
  perfectTestAt: number | null;
  keyFrequencies: number[] | null;
  logitFitVarianceExplained: number | null;
  neuronsInClusters: number | null;
  neurons: number | null;
  phases: { detected: boolean; reason: string | null; memorisation: Span | null; circuitFormation: Span | null; cleanup: Span | null } | null;
}

interface Span {
  start: number;
  end: number;
}

const duration = (s: number) => `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
const epoch = (e: number | null) => (e === null ? 'never' : `epoch ${e.toLocaleString('en-US')}`);
const span = (s: Span | null) => (s ? `${Math.round(s.start).toLocaleString('en-US')}–${Math.round(s.end).toLocaleString('en-US')}` : '?');

const load = (r: MainJobRecord) => (r.loadBefore === undefined || r.loadAfter === undefined ? ''
  : `; load average ${r.loadBefore.toFixed(1)} before and ${r.loadAfter.toFixed(1)} after${Math.max(r.loadBefore, r.loadAfter) > 1 ? ', other work shared the cores' : ''}`);

/**
 * The README's paragraph on the main job.
 *
 * @example
 * mainJobMarkdown(JSON.parse(readFileSync('docs/results/main-job.json', 'utf8')));
 */
export function mainJobMarkdown(r: MainJobRecord): string {
  const phases = r.phases?.detected
    ? `The phases read off the loss curves: memorisation ${span(r.phases.memorisation)}, circuit formation ${span(r.phases.circuitFormation)}, cleanup ${span(r.phases.cleanup)}.`
    : `No phases were detected (${r.phases?.reason ?? 'not analysed'}).`;
  return [
    `Measured on ${r.date.slice(0, 10)} (${r.machine.cores} cores, ${r.machine.cpu}, Node ${r.machine.node}): \`pnpm demo\` took`,
    `${duration(r.wallS)} (build, training on ${r.backend}${r.threads ? ` with ${r.threads} threads` : ''}, analysis and report; on a fresh machine the`,
    `setup script runs first${load(r)}). The model memorised the training pairs by ${epoch(r.memorisedAt)}, grokked (test`,
    `accuracy ≥ 99.9% from then on) at ${epoch(r.grokkedAt)} and stopped at ${epoch(r.finalEpoch)}, when cleanup was over`,
    '(`--stop-after-cleanup`: grokked, and the sum of squared weights fell by less than 2% over the last 1,000 epochs). The analysis found key',
    `frequencies ${(r.keyFrequencies ?? []).join(', ')}; the fitted cos(w(x+y−z)) logits explain`,
    `${r.logitFitVarianceExplained === null ? '?' : (100 * r.logitFitVarianceExplained).toFixed(1)}% of the variance, and ${r.neuronsInClusters} of ${r.neurons} neurons sit in frequency clusters. ${phases}`,
    'These figures are written from `docs/results/main-job.json` by `pnpm demo:record`, which runs the main job.',
  ].join('\n');
}
