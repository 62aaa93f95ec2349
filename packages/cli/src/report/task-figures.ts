// The report's figures for each task family's own analysis: per-digit and per-target phase changes, the induction
// head forming, attention to the max element.
import type { SlotPhases } from '@grokking/progress-measures';
import type { DigitAdditionAnalysis, InductionAnalysis, MaxElementAnalysis, TaskAnalysis } from '../analysis/task-analysis';
import { curvesFromMetrics, targetCurvesFromMetrics } from '../analysis/task-analysis';
import type { Figure, LineFigure } from './figures';

type Metrics = Record<string, unknown>[];

/** Markers at each slot's phase-change epoch, labelled by the slot. */
function phaseMarkers(phases: SlotPhases | null): { x: number; label: string }[] {
  return (phases?.slots ?? []).filter((s) => s.epoch !== null).map((s) => ({ x: s.epoch!, label: s.name }));
}

function phaseRows(phases: SlotPhases | null): (string | number | null)[][] {
  return (phases?.slots ?? []).map((s) => [s.name, s.epoch, s.span ? `${Math.round(s.span.start)}–${Math.round(s.span.end)}` : null,
    s.fall === null ? null : Number(s.fall.toPrecision(3)), s.epoch === null ? null : phases!.order.indexOf(s.name) + 1]);
}

const PHASE_COLUMNS = ['slot', 'phase change (epoch)', 'steep fall', 'loss fell ×', 'learned'];

function slotFigure(id: string, title: string, curves: { epochs: readonly number[]; names: readonly string[]; losses: readonly (readonly number[])[] } | null, phases: SlotPhases | null, caption: string): LineFigure | null {
  if (!curves) return null;
  return { kind: 'line', id, title, caption, xLabel: 'epoch', yLabel: 'loss', logY: true, x: [...curves.epochs], markers: phaseMarkers(phases),
    series: curves.names.map((label, i) => ({ label, values: [...curves.losses[i]!] })) };
}

function digitFigures(a: DigitAdditionAnalysis, metrics: Metrics): Figure[] {
  const names = a.carries.names;
  const figures: (Figure | null)[] = [
    slotFigure('digit-loss-test', 'Test loss per sum digit', curvesFromMetrics(metrics, 'testSlotLoss', names), a.slotPhases.test,
      'One phase change per digit: dashed lines mark each digit\'s steepest fall of log-loss (at least 10x).'),
    slotFigure('digit-loss-train', 'Train loss per sum digit', curvesFromMetrics(metrics, 'trainSlotLoss', names), a.slotPhases.train,
      'The same on the train set: memorised first when data is limited.'),
    { kind: 'table', id: 'digit-phases', title: 'Phase change of each digit (test loss)', caption: 'The order in which the digits are learned, and the share of test examples that need a carry into each.',
      columns: [...PHASE_COLUMNS, 'carry', 'chained carry'],
      rows: phaseRows(a.slotPhases.test).map((row, i) => [...row, Number(a.carries.carry[i]?.toFixed(3)), Number(a.carries.chainedCarry[i]?.toFixed(3))]) },
  ];
  return figures.filter((f): f is Figure => f !== null);
}

function maxElementFigures(a: MaxElementAnalysis, metrics: Metrics): Figure[] {
  const figures: (Figure | null)[] = [
    slotFigure('target-loss', 'Test loss per answer value', targetCurvesFromMetrics(metrics, 'test'), a.targetPhases,
      'One skip trigram "v … END → v" per top value v: each value\'s own phase change, marked.'),
    { kind: 'table', id: 'target-phases', title: 'Phase change of each answer value (test loss)', columns: PHASE_COLUMNS, rows: phaseRows(a.targetPhases) },
  ];
  const layers = a.maxAttention[0]?.byLayer ?? [];
  if (layers.length) {
    figures.push({ kind: 'line', id: 'max-attention', title: 'Attention from the answer position to the max',
      caption: `Mean attention mass on the max element, per head; uniform attention would give ${a.baseline.toFixed(3)}.`,
      xLabel: 'epoch', yLabel: 'attention', x: a.maxAttention.map((p) => p.epoch),
      series: layers.flatMap((heads, l) => heads.map((_, h) => ({ label: `L${l}H${h}`, values: a.maxAttention.map((p) => p.byLayer[l]![h]!) }))) });
  }
  return figures.filter((f): f is Figure => f !== null);
}

function inductionFigures(a: InductionAnalysis): Figure[] {
  const x = a.points.map((p) => p.epoch);
  const marker = a.formedAt === null ? [] : [{ x: a.formedAt, label: 'induction head forms' }];
  const perHead = (key: 'induction' | 'previousToken') => (a.points[0]?.[key] ?? []).flatMap((heads, l) =>
    heads.map((_, h) => ({ label: `L${l}H${h}`, values: a.points.map((p) => p[key][l]![h]!) })));
  const [il, ih] = a.bestInductionHead;
  const [pl, ph] = a.bestPreviousTokenHead;
  const n = a.sample.tokens.length;
  return [
    { kind: 'line', id: 'repeat-loss', title: 'Loss on repeated and other positions',
      caption: 'Repeated positions become predictable once an induction head copies the token after the earlier copy; the marker is the steep fall of their loss.',
      xLabel: 'epoch', yLabel: 'loss', logY: true, x, markers: marker,
      series: [{ label: 'repeated', values: a.points.map((p) => p.repeatedLoss) }, { label: 'other', values: a.points.map((p) => p.nonRepeatedLoss) }] },
    { kind: 'line', id: 'induction-scores', title: 'Induction score per head',
      caption: `Mean attention from a repeated position to the token after the earlier copy of the current token; uniform attention scores ${a.baseline.induction.toFixed(3)}.`,
      xLabel: 'epoch', yLabel: 'score', x, markers: marker, series: perHead('induction') },
    { kind: 'line', id: 'previous-token-scores', title: 'Previous-token score per head',
      caption: `Mean attention from each position to the one before it; uniform attention scores ${a.baseline.previousToken.toFixed(3)}.`,
      xLabel: 'epoch', yLabel: 'score', x, markers: marker, series: perHead('previousToken') },
    { kind: 'heatmap', id: 'induction-pattern', title: `Best induction head L${il}H${ih} on a test sequence`,
      caption: `Attention [query row, key column] at the last checkpoint; tokens ${a.sample.tokens.join(' ')}.`,
      rows: n, cols: n, values: a.sample.induction.flat(), xLabel: 'key position', yLabel: 'query position' },
    { kind: 'heatmap', id: 'previous-token-pattern', title: `Best previous-token head L${pl}H${ph} on the same sequence`,
      caption: 'Attention [query row, key column]: the diagonal just below the main one.',
      rows: n, cols: n, values: a.sample.previousToken.flat(), xLabel: 'key position', yLabel: 'query position' },
  ];
}

/**
 * The figures of a task family's analysis.
 *
 * @example
 * taskFigures(analysis.taskAnalysis, metrics);
 */
export function taskFigures(a: TaskAnalysis, metrics: Metrics): Figure[] {
  switch (a.kind) {
    case 'digit-addition':
      return digitFigures(a, metrics);
    case 'max-element':
      return maxElementFigures(a, metrics);
    case 'repeated-subsequence':
      return inductionFigures(a);
  }
}
