// The docs page "Reproducing the write-up" (docs/reproduction.md): its prose is written by hand, and each experiment's
// measured numbers, commands and figures are a generated block between `<!-- reproduce:NAME:start -->` and
// `<!-- reproduce:NAME:end -->`, written from that experiment's results.json only.
import { EXPERIMENTS, type ExperimentName } from './catalogue';
import type { Figure } from './figures';
import type { ExperimentResults, PointResult, Span } from './results';

const epoch = (e: number | null | undefined) => (e === null || e === undefined ? '—' : Math.round(e).toLocaleString('en-US'));
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(100 * v).toFixed(1)}%`);
const sci = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toExponential(1));
const minutes = (s: number) => (s < 90 ? `${Math.round(s)} s` : `${Math.round(s / 60)} min`);
const span = (s: Span | null | undefined) => (s ? `${epoch(s.start)}–${epoch(s.end)}` : '—');
const seedOf = (p: PointResult) => Number(p.settings.seed ?? 0);
const done = (r: ExperimentResults, sweep?: string) => r.points.filter((p) => p.status === 'done' && (sweep === undefined || p.sweep === sweep));
const table = (head: string[], rows: (string | number)[][]) =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const median = (xs: number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const phasesCell = (p: PointResult) => (p.phases?.detected
  ? `${span(p.phases.memorisation)} / ${span(p.phases.circuitFormation)} / ${span(p.phases.cleanup)}`
  : `not detected${p.phases?.reason ? ` (${p.phases.reason})` : ''}`);
const clustersCell = (p: PointResult) => (p.neuronsInClusters === null ? '—' : `${p.neuronsInClusters} of ${p.neurons}`);

/** A grid of grokking epochs: one row per swept value, one column per seed, and the median of those that grokked. */
function grokGrid(r: ExperimentResults, flag: string, budget: number): string {
  const points = done(r);
  const values = [...new Set(points.map((p) => p.settings[flag]))];
  const seeds = [...new Set(points.map(seedOf))].sort((a, b) => a - b);
  const rows = values.map((v) => {
    const at = points.filter((p) => p.settings[flag] === v);
    const epochs = seeds.map((s) => at.find((p) => seedOf(p) === s)?.grokkedEpoch);
    const grokked = epochs.filter((e): e is number => typeof e === 'number');
    return [String(v), ...epochs.map((e) => (e === undefined ? 'not run' : e === null ? `no (> ${epoch(budget)})` : epoch(e))), `${grokked.length} of ${at.length}`, epoch(median(grokked))];
  });
  return table([flag, ...seeds.map((s) => `seed ${s}`), 'grokked', 'median epoch'], rows);
}

/** Each experiment's table of measured numbers (the figures and commands are added around it). */
const TABLES: { readonly [K in ExperimentName]: (r: ExperimentResults) => string } = {
  'seed-run': (r) => table(
    ['seed', 'grokked at', 'stopped at', 'phases: memorisation / circuit formation / cleanup', 'key frequencies', 'logit fit', 'neurons in clusters', 'final test loss'],
    done(r).map((p) => [seedOf(p), epoch(p.grokkedEpoch), epoch(p.finalEpoch), phasesCell(p), (p.keyFrequencies ?? []).join(', '), pct(p.logitFitVarianceExplained), clustersCell(p), sci(p.finalTestLoss)]),
  ),
  'train-fraction': (r) => {
    const c = r.crossover;
    const crossover = !c ? 'The crossover search has not run yet.'
      : c.above === null ? `Crossover search (${c.probes.length} probes): no ${c.variable} up to ${c.below} grokked within ${epoch(c.budget)} epochs.`
        : c.below === null ? `Crossover search (${c.probes.length} probes): it grokked within ${epoch(c.budget)} epochs already at the lowest ${c.variable} tried, ${c.above}.`
          : `Crossover search (${c.probes.length} probes, most seeds must grok): within ${epoch(c.budget)} epochs it groks at ${c.variable} ${c.above} and not at ${c.below}.`;
    return `${grokGrid(r, 'train-fraction', EXPERIMENTS['train-fraction'].sweeps.fractions.settings.epochs)}\n\n${crossover}`;
  },
  'weight-decay': (r) => grokGrid(r, 'weight-decay', EXPERIMENTS['weight-decay'].sweeps.decays.settings.epochs),
  slingshot: (r) => table(
    ['loss', 'seed', 'spikes after memorising', 'first spike peaks (epoch)', 'grokked at', 'final train loss'],
    done(r).map((p) => [String(p.settings.loss), seedOf(p), p.spikes.count, p.spikes.peaks.slice(0, 5).map(epoch).join(', ') || '—', epoch(p.grokkedEpoch), sci(p.finalTrainLoss)]),
  ),
  'max-element': (r) => done(r).map((p) => {
    if (p.task?.kind !== 'max-element') return `Seed ${seedOf(p)}: no analysis.`;
    const epochs = p.task.slots.map((s) => s.epoch).filter((e): e is number => e !== null);
    const spread = epochs.length ? `${epoch(Math.min(...epochs))}–${epoch(Math.max(...epochs))}` : '—';
    return `${table(['answer value', ...p.task.slots.map((s) => s.name)], [['phase change (step)', ...p.task.slots.map((s) => epoch(s.epoch))]])}\n\n`
      + `${epochs.length} of ${p.task.slots.length} values have a phase change, between steps ${spread}. At the end the answer position attends ${pct(p.task.finalMaxAttention)} to the max (uniform attention: ${pct(p.task.baseline)}).`;
  }).join('\n\n'),
  'data-95': (r) => table(
    ['seed', 'train loss falls at', 'test loss falls at', 'grokked at', 'final test accuracy', 'phases of grokking'],
    done(r).map((p) => [seedOf(p), epoch(p.lossFalls.train), epoch(p.lossFalls.test), epoch(p.grokkedEpoch), pct(p.finalTestAccuracy), phasesCell(p)]),
  ),
  mlp: (r) => table(
    ['seed', 'grokked at', 'stopped at', 'key frequencies', 'neurons per cluster', 'neurons in clusters', 'logit fit'],
    done(r).map((p) => [seedOf(p), epoch(p.grokkedEpoch), epoch(p.finalEpoch), (p.keyFrequencies ?? []).join(', '),
      Object.entries(p.clusterSizes ?? {}).map(([f, n]) => `${f}: ${n}`).join(', ') || '—', clustersCell(p), pct(p.logitFitVarianceExplained)]),
  ),
  'digit-addition': (r) => done(r).map((p) => {
    const slots = p.task?.kind === 'digit-addition' ? p.task : null;
    const head = `${p.sweep === 'infinite' ? 'Infinite data' : '700 training examples'} (seed ${seedOf(p)}): grokked at ${epoch(p.grokkedEpoch)}, final test accuracy ${pct(p.finalTestAccuracy)}, ${epoch(p.finalEpoch)} steps.`;
    if (!slots) return head;
    return `${head}\n\n${table(['digit', ...slots.slots.map((s) => s.name)], [['phase change (step)', ...slots.slots.map((s) => epoch(s.epoch))]])}\n\nOrder: ${slots.order.join(', ') || '—'}.`;
  }).join('\n\n'),
  'repeated-subsequence': (r) => table(
    ['data', 'seed', 'induction circuit forms at', 'best induction head (score, uniform)', 'best previous-token head (score, uniform)', 'grokked at', 'final test loss'],
    done(r).map((p) => {
      const t = p.task?.kind === 'repeated-subsequence' ? p.task : null;
      const last = t?.points.at(-1);
      return [p.sweep, seedOf(p), epoch(t?.formedAt), t && last ? `L${t.bestInductionHead[0]}H${t.bestInductionHead[1]} (${last.induction.toFixed(2)}, ${t.baseline.induction.toFixed(2)})` : '—',
        t && last ? `L${t.bestPreviousTokenHead[0]}H${t.bestPreviousTokenHead[1]} (${last.previousToken.toFixed(2)}, ${t.baseline.previousToken.toFixed(2)})` : '—', epoch(p.grokkedEpoch), sci(p.finalTestLoss)];
    }),
  ),
  subtraction: (r) => table(
    ['seed', 'grokked at', 'stopped at', 'phases: memorisation / circuit formation / cleanup', 'key frequencies', 'neurons in clusters', 'final test loss'],
    done(r).map((p) => [seedOf(p), epoch(p.grokkedEpoch), epoch(p.finalEpoch), phasesCell(p), (p.keyFrequencies ?? []).join(', '), clustersCell(p), sci(p.finalTestLoss)]),
  ),
};

/**
 * An experiment's generated block: how many runs are done, the table, the figures and the commands.
 *
 * @example
 * experimentBlock('seed-run', readResults(resultsFile(RESULTS_DIR, 'seed-run')), figures);
 */
export function experimentBlock(name: ExperimentName, results: ExperimentResults | null, figures: Figure[]): string {
  if (!results) return `Not run yet: \`pnpm reproduce --only ${name}\`.`;
  const finished = done(results).length;
  const failed = results.points.filter((p) => p.status === 'failed');
  const seconds = done(results).reduce((t, p) => t + (p.wallSeconds ?? 0), 0);
  const failures = failed.length ? `, ${failed.length} failed (${failed.map((p) => `${p.id}: ${p.error}`).join('; ')})` : '';
  const status = `${finished} of ${results.points.length} runs done${failures}; their wall times add up to ${minutes(seconds)}`
    + ` (runs in parallel share the cores). Results of ${results.date.slice(0, 10)}, ${results.machine.cores} cores,`
    + ` ${results.machine.cpu}, Node ${results.machine.node}: [results.json](./results/reproduce/${name}/results.json).`;
  const images = figures.map((f) => `![${f.caption}](./results/reproduce/${name}/${f.name}.svg)\n*${f.caption}*`);
  const measured = finished > 0 ? TABLES[name](results) : `No run has finished yet; \`pnpm reproduce --only ${name}\` runs it (resuming from the last checkpoint where runs/reproduce holds one).`;
  return [status, measured, ...images, `Commands (\`pnpm reproduce --only ${name}\` runs them):`, ['```sh', ...results.commands, '```'].join('\n')].join('\n\n');
}

const marker = (name: string, end: 'start' | 'end') => `<!-- reproduce:${name}:${end} -->`;

/**
 * Replaces an experiment's block in the page's text.
 *
 * @throws when the page lacks the block's markers.
 */
export function replaceExperimentBlock(page: string, name: string, content: string): string {
  const start = page.indexOf(marker(name, 'start'));
  const end = page.indexOf(marker(name, 'end'));
  if (start < 0 || end < start) throw new Error(`the reproduction page has no block ${marker(name, 'start')} ... ${marker(name, 'end')}`);
  return `${page.slice(0, start + marker(name, 'start').length)}\n${content}\n${page.slice(end)}`;
}

/**
 * The blocks of a page's text, by experiment name.
 *
 * @example
 * pageBlocks(readFileSync(PAGE, 'utf8'))['seed-run'];
 */
export function pageBlocks(page: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of page.matchAll(/<!-- reproduce:([a-z0-9-]+):start -->\n([\s\S]*?)\n<!-- reproduce:\1:end -->/g)) out[m[1]!] = m[2]!;
  return out;
}
