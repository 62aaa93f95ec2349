// Each experiment's figures, from its results alone: name (the SVG's file name), caption, and chart. A figure whose
// data is not there yet (its run not finished) is left out.
import { EXPERIMENTS, type ExperimentName } from './catalogue';
import { barChart, lineChart, seriesRows, sweepChart, type ChartSpec } from './charts';
import type { ExperimentResults, PointResult } from './results';

/** One figure of the docs page. */
export interface Figure {
  /** File name without extension: docs/results/reproduce/<experiment>/<name>.svg. */
  name: string;
  caption: string;
  chart: ChartSpec;
}

const done = (r: ExperimentResults, sweep?: string) => r.points.filter((p) => p.status === 'done' && (sweep === undefined || p.sweep === sweep));
const seedOf = (p: PointResult) => Number(p.settings.seed ?? 0);
const first = (r: ExperimentResults, sweep?: string) => done(r, sweep).sort((a, b) => seedOf(a) - seedOf(b))[0];

/** Train and test loss of one run, with its phases shaded and its grokking epoch marked. */
function lossFigure(p: PointResult, name: string, caption: string, title: string, ruleLabel = 'grokked'): Figure[] {
  if (!p.curves) return [];
  const spans = p.phases?.detected
    ? ([['memorisation', p.phases.memorisation], ['circuit formation', p.phases.circuitFormation], ['cleanup', p.phases.cleanup]] as const)
      .filter((s) => s[1] !== null).map(([label, span]) => ({ label, span: span! }))
    : [];
  const rules = p.grokkedEpoch !== null ? [{ label: `${ruleLabel} ${p.grokkedEpoch}`, x: p.grokkedEpoch }] : [];
  const rows = seriesRows(p.curves.epoch, { train: p.curves.trainLoss, test: p.curves.testLoss }, true);
  return [{ name, caption, chart: lineChart({ title, x: 'epoch', y: 'loss', rows, log: true, spans, rules, order: ['train', 'test'] }) }];
}

/** Per-slot test loss curves (digits, target values) with the overall test loss. */
function slotFigure(p: PointResult, which: 'slots' | 'targets', name: string, caption: string, title: string, x = 'step'): Figure[] {
  const slots = p.curves?.[which];
  if (!p.curves || !slots) return [];
  const series: Record<string, (number | null)[]> = { 'all (test)': p.curves.testLoss };
  slots.names.forEach((n, j) => { series[n] = slots.test[j]!; });
  return [{ name, caption, chart: lineChart({ title, x, y: 'test loss', rows: seriesRows(p.curves.epoch, series, true), log: true }) }];
}

/** Curves cut at an epoch (for a close view of the early steps). */
function zoomCurves(c: NonNullable<PointResult['curves']>, until: number): NonNullable<PointResult['curves']> {
  const n = c.epoch.filter((e) => e <= until).length;
  const cut = <T>(xs: T[]) => xs.slice(0, n);
  return {
    epoch: cut(c.epoch), trainLoss: cut(c.trainLoss), testLoss: cut(c.testLoss), testAccuracy: cut(c.testAccuracy), sumSquaredWeights: cut(c.sumSquaredWeights),
    slots: c.slots && { names: c.slots.names, test: c.slots.test.map(cut) },
    targets: c.targets && { names: c.targets.names, test: c.targets.test.map(cut) },
  };
}

/** The grokking epoch against a swept setting, every seed. */
function grokEpochFigure(r: ExperimentResults, flag: string, budget: number, caption: string, title: string, label: string): Figure[] {
  const points = done(r).map((p) => ({ x: typeof p.settings[flag] === 'number' ? (p.settings[flag] as number) : String(p.settings[flag]), y: p.grokkedEpoch, seed: seedOf(p) }));
  if (points.length === 0) return [];
  if (flag === 'weight-decay') points.forEach((q) => { q.x = String(q.x); });
  return [{ name: 'grok-epoch', caption, chart: sweepChart({ title, x: label, y: 'grokking epoch', points, budget }) }];
}

/** Every experiment's figures. */
export const FIGURES: { readonly [K in ExperimentName]: (r: ExperimentResults) => Figure[] } = {
  'seed-run': (r) => {
    const p = first(r);
    if (!p) return [];
    const figures = lossFigure(p, 'loss', `Seed ${seedOf(p)}: train and test loss, the phases read off them and the grokking epoch.`, 'Seed run: loss');
    const c = p.checkpoints;
    if (c.length > 0) {
      const x = c.map((k) => k.epoch);
      figures.push({
        name: 'progress-measures',
        caption: 'Excluded loss (the key frequencies removed) rises while restricted loss (only they kept) falls: the circuit forms before test loss falls.',
        chart: lineChart({ title: 'Progress measures per checkpoint', x: 'epoch', y: 'loss', log: true, order: ['train', 'test', 'excluded', 'restricted (test)'],
          rows: seriesRows(x, { train: c.map((k) => k.trainLoss), test: c.map((k) => k.testLoss), excluded: c.map((k) => k.excludedLoss), 'restricted (test)': c.map((k) => k.restrictedTestLoss) }, true) }),
      });
      figures.push({
        name: 'gini',
        caption: 'Gini coefficient of the embedding and unembedding norms over frequencies: they become sparse in the Fourier basis.',
        chart: lineChart({ title: 'Fourier sparsity (Gini)', x: 'epoch', y: 'Gini', rows: seriesRows(x, { 'W_E': c.map((k) => k.giniEmbedding), 'W_U': c.map((k) => k.giniUnembed) }, false) }),
      });
    }
    const seeds = done(r).filter((q) => q.curves);
    const sswRows = seeds.flatMap((q) => seriesRows(q.curves!.epoch, { [`seed ${seedOf(q)}`]: q.curves!.sumSquaredWeights }, false));
    if (sswRows.length > 0) figures.push({ name: 'weights', caption: 'Sum of squared weights of every seed, recorded at every evaluation: it falls fastest through circuit formation and cleanup.', chart: lineChart({ title: 'Σw²', x: 'epoch', y: 'sum of squared weights', rows: sswRows }) });
    const testRows = seeds.flatMap((q) => seriesRows(q.curves!.epoch, { [`seed ${seedOf(q)}`]: q.curves!.testLoss }, true));
    if (testRows.length > 0) figures.push({ name: 'seeds', caption: 'Test loss of every seed.', chart: lineChart({ title: 'Test loss per seed', x: 'epoch', y: 'test loss', rows: testRows, log: true }) });
    const norms = seeds.filter((q) => q.embeddingFreqNorms).flatMap((q) => q.embeddingFreqNorms!.map((y, k) => ({ x: k + 1, y, group: `seed ${seedOf(q)}` })));
    if (norms.length > 0) figures.push({ name: 'embedding', caption: 'Norm of the final embedding along each frequency (cos and sin together): a few key frequencies, different for each seed.', chart: barChart('Embedding norm per frequency', 'frequency', 'norm', norms) });
    if (p.circuit.length > 0) {
      const freqs = Object.keys(p.circuit.at(-1)!.clusterSizes);
      const x = p.circuit.map((k) => k.epoch);
      const series: Record<string, (number | null)[]> = {};
      for (const f of freqs) series[`frequency ${f}`] = p.circuit.map((k) => k.clusterSizes[f] ?? 0);
      series['in no cluster'] = p.circuit.map((k) => k.unclustered);
      figures.push({ name: 'circuit', caption: `Seed ${seedOf(p)}: neurons in each key frequency's cluster at every checkpoint (the clusters of the final key frequencies).`, chart: lineChart({ title: 'The circuit over training: neuron clusters', x: 'epoch', y: 'neurons', rows: seriesRows(x, series, false) }) });
      figures.push({ name: 'logit-fit', caption: 'Share of the logits\' variance explained by Σ α_w cos(w(x+y−z)) over the final key frequencies, per checkpoint.', chart: lineChart({ title: 'The circuit over training: logit fit', x: 'epoch', y: 'variance explained', rows: seriesRows(x, { 'logit fit': p.circuit.map((k) => k.logitVarianceExplained) }, false) }) });
    }
    return figures;
  },
  'train-fraction': (r) => {
    const { p, epochs } = EXPERIMENTS['train-fraction'].sweeps.fractions.settings;
    return grokEpochFigure(r, 'train-fraction', epochs, `Grokking epoch of each seed against the fraction of pairs trained on (p = ${p}); crosses did not grok within ${epochs.toLocaleString('en-US')} epochs; the line is the median of those that did.`, 'Grokking epoch against the train fraction', 'train fraction');
  },
  'weight-decay': (r) => {
    const { p, epochs, 'train-fraction': fraction } = EXPERIMENTS['weight-decay'].sweeps.decays.settings;
    return grokEpochFigure(r, 'weight-decay', epochs, `Grokking epoch of each seed against weight decay (p = ${p}, ${100 * fraction}% of pairs); crosses did not grok within ${epochs.toLocaleString('en-US')} epochs.`, 'Grokking epoch against weight decay', 'weight decay');
  },
  slingshot: (r) => {
    const rows = done(r).filter((p) => p.curves).flatMap((p) => seriesRows(p.curves!.epoch, { [`${String(p.settings.loss)} loss`]: p.curves!.trainLoss }, true).map((row) => ({ ...row, seed: `seed ${seedOf(p)}` })));
    if (rows.length === 0) return [];
    const { p, 'eval-every': every } = EXPERIMENTS.slingshot.sweeps.losses.settings;
    return [{ name: 'loss', caption: `Train loss with the naive float32 log-softmax and with the precise loss, each seed (p = ${p}, every ${every} epochs).`, chart: lineChart({ title: 'Slingshots: naive against precise loss', x: 'epoch', y: 'train loss', rows, log: true, facet: 'seed', order: ['naive loss', 'precise loss'] }) }];
  },
  'max-element': (r) => {
    const p = first(r);
    if (!p) return [];
    const figures = slotFigure(p, 'targets', 'target-loss', 'Test loss per answer value (skip trigram), with the overall test loss.', 'Max element: test loss per answer value');
    // The phase changes happen early: a second view of the steps around them.
    const epochs = p.task?.kind === 'max-element' ? p.task.slots.map((s) => s.epoch).filter((e): e is number => e !== null) : [];
    if (epochs.length > 0 && p.curves) {
      const until = Math.max(100, 4 * Math.max(...epochs));
      const zoom = { ...p, curves: zoomCurves(p.curves, until) };
      figures.push(...slotFigure(zoom, 'targets', 'target-loss-early', `The first ${until.toLocaleString('en-US')} steps, where every answer value has its phase change.`, 'Max element: the phase changes'));
    }
    return figures;
  },
  'data-95': (r) => {
    const p = first(r);
    return p ? lossFigure(p, 'loss', 'Train and test loss with 95% of the pairs: they fall together, in one phase change.', '95% of the data: loss', '99.9% test accuracy at') : [];
  },
  mlp: (r) => {
    const p = first(r);
    if (!p) return [];
    const figures = lossFigure(p, 'loss', 'The 2-layer MLP: train and test loss.', '2L MLP: loss');
    if (p.clusterSizes) figures.push({ name: 'clusters', caption: 'Neurons per key-frequency cluster at the end.', chart: barChart('2L MLP: neurons per frequency cluster', 'frequency', 'neurons', Object.entries(p.clusterSizes).map(([x, y]) => ({ x, y }))) });
    return figures;
  },
  'digit-addition': (r) => {
    const infinite = first(r, 'infinite');
    const finite = first(r, 'finite');
    return [
      ...(infinite ? slotFigure(infinite, 'slots', 'digit-loss-infinite', 'Infinite data: test loss of each sum digit, with the overall loss; each digit falls in its own phase change.', '5-digit addition, infinite data: loss per digit') : []),
      ...(finite ? lossFigure(finite, 'loss-finite', '700 training examples, weight decay 1: train and test loss.', '5-digit addition, 700 examples: loss') : []),
      ...(finite ? slotFigure(finite, 'slots', 'digit-loss-finite', '700 examples: test loss of each sum digit.', '5-digit addition, 700 examples: loss per digit', 'epoch') : []),
    ];
  },
  'repeated-subsequence': (r) => {
    const figures: Figure[] = [];
    for (const sweep of ['infinite', 'finite'] as const) {
      const p = first(r, sweep);
      if (!p || p.task?.kind !== 'repeated-subsequence' || p.task.points.length === 0) continue;
      const t = p.task;
      const x = t.points.map((k) => k.epoch);
      figures.push({
        name: `induction-${sweep}`,
        caption: `${sweep === 'infinite' ? 'Infinite data' : '512 training sequences'}: the best head's induction and previous-token scores per checkpoint (uniform attention scores ${t.baseline.induction.toFixed(2)} and ${t.baseline.previousToken.toFixed(2)}), and the loss on repeated tokens.`,
        chart: lineChart({ title: `Repeated subsequences (${sweep} data): the induction circuit`, x: 'step', y: 'score / loss', log: false,
          rules: t.formedAt !== null ? [{ label: `formed ${t.formedAt}`, x: t.formedAt }] : [],
          rows: seriesRows(x, { 'induction score': t.points.map((k) => k.induction), 'previous-token score': t.points.map((k) => k.previousToken), 'loss on repeated tokens': t.points.map((k) => k.repeatedLoss) }, false) }),
      });
      figures.push(...lossFigure(p, `loss-${sweep}`, `${sweep === 'infinite' ? 'Infinite data' : '512 training sequences'}: train and test loss.`, `Repeated subsequences (${sweep} data): loss`));
    }
    return figures;
  },
  subtraction: (r) => {
    const p = first(r);
    if (!p) return [];
    const figures = lossFigure(p, 'loss', '(x − y) mod 113: train and test loss with its phases.', 'Subtraction: loss');
    if (p.embeddingFreqNorms) figures.push({ name: 'embedding', caption: 'Norm of the final embedding along each frequency.', chart: barChart('Subtraction: embedding norm per frequency', 'frequency', 'norm', p.embeddingFreqNorms.map((y, k) => ({ x: k + 1, y }))) });
    return figures;
  },
};
