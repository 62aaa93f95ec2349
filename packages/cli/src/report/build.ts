// The report of a run from its metrics and analysis: the write-up's figures for this run, and a short summary.
import type { CheckpointMeasures } from '@grokking/progress-measures';
import type { RunAnalysis } from '../commands/analyze';
import { phasesLine } from '../analysis/phases-line';
import type { RunConfig } from '../config';
import type { Figure, Report } from './figures';
import { taskFigures } from './task-figures';

type Metrics = Record<string, unknown>[];

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function phaseMarkers(analysis: RunAnalysis | null): { x: number; label: string }[] {
  const p = analysis?.phases;
  if (!p?.detected) return [];
  const out: { x: number; label: string }[] = [];
  if (p.memorisation) out.push({ x: p.memorisation.end, label: 'memorised' });
  if (p.cleanup) out.push({ x: p.cleanup.start, label: 'cleanup' }, { x: p.cleanup.end, label: 'grokked' });
  return out;
}

function trainingFigures(metrics: Metrics, analysis: RunAnalysis | null): Figure[] {
  const x = metrics.map((r) => r.epoch as number);
  const figures: Figure[] = [
    { kind: 'line', id: 'loss', title: 'Train and test loss', caption: 'Log scale; dashed lines mark the phases found from the progress measures.',
      xLabel: 'epoch', yLabel: 'loss', logY: true, x, markers: phaseMarkers(analysis),
      series: [{ label: 'train', values: metrics.map((r) => num(r.trainLoss)) }, { label: 'test', values: metrics.map((r) => num(r.testLoss)) }] },
    { kind: 'line', id: 'accuracy', title: 'Train and test accuracy', xLabel: 'epoch', yLabel: 'accuracy', x,
      series: [{ label: 'train', values: metrics.map((r) => num(r.trainAccuracy)) }, { label: 'test', values: metrics.map((r) => num(r.testAccuracy)) }] },
  ];
  const slots = metrics.find((r) => Array.isArray(r.trainSlotLoss))?.trainSlotLoss as number[] | undefined;
  // Digit addition's own figures show every slot's train and test curves with their phase changes.
  if (slots && slots.length > 1 && analysis?.taskAnalysis?.kind !== 'digit-addition') {
    const names = analysis?.series.points.find((p) => p.slotLoss)?.slotLoss?.names ?? slots.map((_, i) => `slot ${i}`);
    figures.push({ kind: 'line', id: 'slot-loss', title: 'Loss per scored position', caption: 'One phase change per output token.',
      xLabel: 'epoch', yLabel: 'train loss', logY: true, x,
      series: names.map((label, i) => ({ label, values: metrics.map((r) => num((r.trainSlotLoss as number[] | undefined)?.[i])) })) });
  }
  return figures;
}

function measureFigures(points: CheckpointMeasures[], analysis: RunAnalysis): Figure[] {
  const x = points.map((p) => p.epoch ?? 0);
  const figures: Figure[] = [];
  if (points.some((p) => p.excludedLoss || p.restrictedLoss)) {
    figures.push({ kind: 'line', id: 'excluded-restricted', title: 'Excluded and restricted loss',
      caption: `Key frequencies ${analysis.series.keyFrequencies?.join(', ') ?? '(per checkpoint)'} from the final checkpoint. Excluded loss rising above train loss shows the generalising circuit forming; restricted loss falls when it is done.`,
      xLabel: 'epoch', yLabel: 'loss', logY: true, x, markers: phaseMarkers(analysis),
      series: [
        { label: 'train', values: points.map((p) => p.loss?.train ?? null) },
        { label: 'test', values: points.map((p) => p.loss?.test ?? null) },
        { label: 'excluded', values: points.map((p) => p.excludedLoss?.all ?? null) },
        { label: 'restricted (train)', values: points.map((p) => p.restrictedLoss?.train ?? null) },
        { label: 'restricted (test)', values: points.map((p) => p.restrictedLoss?.test ?? null) },
      ] });
  }
  if (points.some((p) => p.sumSquaredWeights)) {
    figures.push({ kind: 'line', id: 'weights', title: 'Sum of squared weights', caption: 'Weight decay at work: it falls fastest during circuit formation and cleanup.',
      xLabel: 'epoch', yLabel: 'Σ w²', x, markers: phaseMarkers(analysis),
      series: [{ label: 'total', values: points.map((p) => p.sumSquaredWeights?.total ?? null) }] });
  }
  const keys = analysis.series.keyFrequencies ?? [];
  if (keys.length && points.some((p) => p.excludedLoss)) {
    figures.push({ kind: 'line', id: 'excluded-by-frequency', title: 'Excluded loss per key frequency',
      caption: 'Train loss with one key frequency\'s cos/sin(w(x+y)) logit directions removed: each rises above train loss as that frequency\'s part of the circuit forms.',
      xLabel: 'epoch', yLabel: 'loss', logY: true, x, markers: phaseMarkers(analysis),
      series: [
        { label: 'train', values: points.map((p) => p.loss?.train ?? null) },
        ...keys.map((k) => ({ label: `without freq ${k}`, values: points.map((p) => p.excludedLoss?.byFrequency[String(k)] ?? null) })),
      ] });
  }
  const params = Object.keys(points.find((p) => p.sumSquaredWeights)?.sumSquaredWeights?.byParam ?? {});
  if (params.length) {
    figures.push({ kind: 'line', id: 'weights-by-param', title: 'Sum of squared weights per parameter',
      caption: 'Which weights weight decay shrinks, and when.', xLabel: 'epoch', yLabel: 'Σ w²', logY: true, x, markers: phaseMarkers(analysis),
      series: params.map((name) => ({ label: name, values: points.map((p) => p.sumSquaredWeights?.byParam[name] ?? null) })) });
  }
  if (points.some((p) => p.gini)) {
    figures.push({ kind: 'line', id: 'gini', title: 'Gini coefficient of Fourier-component norms', caption: 'Sparsity in the Fourier basis: near 0 for a random model, near 1 when a few frequencies carry everything.',
      xLabel: 'epoch', yLabel: 'Gini', x,
      series: [{ label: 'W_E', values: points.map((p) => p.gini?.embedding ?? null) }, { label: 'W_L', values: points.map((p) => p.gini?.unembed ?? null) }] });
  }
  return figures;
}

function mechanismFigures(f: NonNullable<RunAnalysis['fourier']>): Figure[] {
  const p = f.p;
  const figures: Figure[] = [];
  if (f.embedding) {
    figures.push({ kind: 'bars', id: 'embedding-norms', title: 'Norm of each Fourier component of W_E',
      caption: 'The write-up\'s sparse bar plot: the model keeps a few frequencies and throws the rest away.',
      labels: f.embedding.norms.names, values: f.embedding.norms.componentNorms, yLabel: 'norm' });
    const pca = f.embedding.circles[0] ?? f.embedding.pca;
    figures.push({ kind: 'scatter', id: 'embedding-pca', title: `Embedding principal components${pca.freq ? ` (frequency ${pca.freq})` : ''}`,
      caption: 'Filtered to one key frequency, the numbers lie on a circle.', x: pca.coordinates.map((c) => c[0] ?? 0),
      y: pca.coordinates.map((c) => c[1] ?? 0), labels: pca.coordinates.map((_, i) => String(i)), xLabel: 'PC 1', yLabel: 'PC 2' });
  }
  if (f.neurons) {
    const { clusters, unclustered } = f.neurons.clusters;
    figures.push({ kind: 'bars', id: 'clusters', title: 'Neuron clusters by frequency',
      caption: `Neurons with at least ${f.neurons.clusters.threshold} of their variance explained by one frequency; "none" is the cluster no frequency explains.`,
      labels: [...clusters.map((c) => `freq ${c.freq}`), 'none'], values: [...clusters.map((c) => c.neurons.length), unclustered.length], yLabel: 'neurons' });
    figures.push({ kind: 'heatmap', id: 'neurons-2d', title: '2D Fourier norms of the neuron activations',
      caption: 'Rows: Fourier component of x; columns: of y. Log colour scale: on a linear one the constant term hides everything else.',
      rows: p, cols: p, values: f.neurons.fourier2dNorms.flat(), xLabel: 'y component', yLabel: 'x component', logScale: true });
  }
  for (const n of f.samples.neurons) {
    figures.push({ kind: 'heatmap', id: `neuron-${n.neuron}`, title: `Neuron ${n.neuron}${n.freq ? ` (frequency ${n.freq})` : ''}`,
      caption: 'Activation at every input pair: periodic in x and y.', rows: p, cols: p, values: n.values, xLabel: 'y', yLabel: 'x' });
  }
  if (f.logits) {
    figures.push({ kind: 'heatmap', id: 'logits-2d', title: '2D Fourier norms of the logits',
      caption: `Only same-frequency products survive (log colour scale). The fit Σ α cos(w(x+y-z)) explains ${(100 * f.logits.fit.fractionOfVarianceExplained).toFixed(1)}% of the logits' variance.`,
      rows: p, cols: p, values: f.logits.fourier2dNorms.flat(), xLabel: 'y component', yLabel: 'x component', logScale: true });
  }
  for (const a of f.samples.attention) {
    const freq = f.attention?.heads[a.head]?.freq;
    figures.push({ kind: 'heatmap', id: `attention-${a.head}`, title: `Head ${a.head}: attention from = to x${freq ? ` (frequency ${freq})` : ''}`,
      rows: p, cols: p, values: a.values, xLabel: 'y', yLabel: 'x' });
  }
  return figures;
}

function circuitFigures(circuit: NonNullable<RunAnalysis['circuit']>, analysis: RunAnalysis): Figure[] {
  const { points, keyFrequencies } = circuit;
  const x = points.map((p) => p.epoch);
  const figures: Figure[] = [];
  const nFreq = points[0]?.embeddingFreqNorms.length ?? 0;
  if (nFreq > 0) {
    // Rows are frequencies 1..p/2, columns checkpoints: values[k - 1][c].
    figures.push({ kind: 'heatmap', id: 'circuit-embedding', title: 'W_E\'s Fourier norm per frequency over training',
      caption: 'Rows: frequency 1 (top) to p/2; columns: checkpoints in order (log-spaced early, then evenly). Log colour scale. The key frequencies brighten and the rest fade as the circuit forms and cleanup removes the memorised solution.',
      rows: nFreq, cols: points.length, values: Array.from({ length: nFreq }, (_, k) => points.map((p) => p.embeddingFreqNorms[k] ?? 0)).flat(),
      xLabel: 'checkpoint', yLabel: 'frequency', logScale: true, colLabels: x.map((e) => `epoch ${e}`) });
  }
  if (keyFrequencies.length && points.some((p) => p.unclustered !== null)) {
    figures.push({ kind: 'line', id: 'circuit-clusters', title: 'Neurons per key-frequency cluster over training',
      caption: `Neurons with most of their variance explained by one of the final key frequencies (${keyFrequencies.join(', ')}), and those in no cluster.`,
      xLabel: 'epoch', yLabel: 'neurons', x, markers: phaseMarkers(analysis),
      series: [
        ...keyFrequencies.map((k) => ({ label: `freq ${k}`, values: points.map((p) => p.clusterSizes[String(k)] ?? null) })),
        { label: 'no cluster', values: points.map((p) => p.unclustered) },
      ] });
  }
  if (points.some((p) => p.logitVarianceExplained !== null)) {
    figures.push({ kind: 'line', id: 'circuit-logit-fit', title: 'Logits explained by the key frequencies over training',
      caption: 'The share of the centred logits\' variance that Σ α cos(w(x+y-z)) over the final key frequencies explains.',
      xLabel: 'epoch', yLabel: 'variance explained', x, markers: phaseMarkers(analysis),
      series: [{ label: 'cos(w(x+y-z)) fit', values: points.map((p) => p.logitVarianceExplained) }] });
  }
  return figures;
}

const TASK_SECTION = {
  'digit-addition': 'One phase change per digit',
  'max-element': 'One phase change per skip trigram',
  'repeated-subsequence': 'The induction head forming',
} as const;

/** The summary lines at the top of the report. */
function summaryLines(config: RunConfig, metrics: Metrics, analysis: RunAnalysis | null): string[] {
  const last = metrics[metrics.length - 1];
  const lines = [`${config.task.name}${config.task.p ? ` mod ${config.task.p}` : ''}, ${config.model.kind}, ${config.trainer.optimizer} lr ${config.trainer.lr} wd ${config.trainer.weightDecay}, seed ${config.seed}`];
  if (last) lines.push(`epoch ${last.epoch}: train loss ${num(last.trainLoss)?.toPrecision(3)}, test loss ${num(last.testLoss)?.toPrecision(3) ?? '-'}, test accuracy ${num(last.testAccuracy) === null ? '-' : `${(100 * (last.testAccuracy as number)).toFixed(1)}%`}`);
  if (analysis) {
    lines.push(analysis.grokkedAt === null ? 'did not grok (test accuracy never stayed at 99.9%)' : `grokked at epoch ${analysis.grokkedAt}`);
    lines.push(phasesLine(analysis.phases));
    const f = analysis.fourier;
    if (f) {
      lines.push(`key frequencies: ${f.keyFrequencies.join(', ') || 'none'} (from ${f.keyFrequencySource})`);
      if (f.group) lines.push(`read as addition in Z_${f.group.m}: ${f.group.formula}${f.group.generator === null ? '' : ` (generator ${f.group.generator})`}; frequencies are of that sum`);
      if (f.neurons) {
        const total = f.neurons.fractions.length;
        const inClusters = total - f.neurons.clusters.unclustered.length;
        lines.push(`${inClusters} of ${total} neurons (${((100 * inClusters) / Math.max(total, 1)).toFixed(0)}%) are in a frequency cluster`);
      }
    }
    const t = analysis.taskAnalysis;
    if (t?.kind === 'digit-addition' && t.slotPhases.test) lines.push(`digits learned in the order ${t.slotPhases.test.order.join(', ') || '(none yet)'}`);
    if (t?.kind === 'max-element' && t.targetPhases) lines.push(`answer values learned in the order ${t.targetPhases.order.join(', ') || '(none yet)'}`);
    if (t?.kind === 'repeated-subsequence') {
      lines.push(`induction head ${t.formedAt === null ? 'not seen forming' : `forms at epoch ${t.formedAt}`}; best induction head L${t.bestInductionHead[0]}H${t.bestInductionHead[1]}, best previous-token head L${t.bestPreviousTokenHead[0]}H${t.bestPreviousTokenHead[1]}`);
    }
  } else {
    lines.push('not analysed yet: run grok analyze');
  }
  return lines;
}

/**
 * The report of a run.
 *
 * @example
 * renderReport(buildReport(config, readMetrics(dir), analysis));
 */
export function buildReport(config: RunConfig, metrics: Metrics, analysis: RunAnalysis | null): Report {
  const sections: Report['sections'] = [{ title: 'Training', figures: trainingFigures(metrics, analysis) }];
  if (analysis) {
    const measures = measureFigures(analysis.series.points, analysis);
    if (measures.length) sections.push({ title: 'Progress measures', figures: measures });
    if (analysis.circuit) sections.push({ title: 'The circuit over training', figures: circuitFigures(analysis.circuit, analysis) });
    if (analysis.taskAnalysis) sections.push({ title: TASK_SECTION[analysis.taskAnalysis.kind], figures: taskFigures(analysis.taskAnalysis, metrics) });
    if (analysis.fourier) sections.push({ title: `The algorithm (checkpoint at epoch ${analysis.fourier.epoch})`, figures: mechanismFigures(analysis.fourier) });
  }
  return { title: `grok report: ${config.task.name}`, summary: summaryLines(config, metrics, analysis), sections };
}
