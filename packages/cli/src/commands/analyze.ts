// `grok analyze DIR`: the progress measures over every saved checkpoint (key frequencies from the last one, as the
// write-up does), the phases of grokking they reveal, and the final checkpoint's Fourier analysis -> analysis.json.
import { readyBackend } from '@grokking/backend';

import { analyzeModel, circuitSeries, groupOperationOf, findPhases, measureSeries, seriesCurves, type CircuitPoint, type MeasureSeries, type ModelAnalysis, type Phases } from '@grokking/progress-measures';
import { buildData, buildTask } from '@grokking/experiments';
import { isModularTask, type TaskName } from '@grokking/tasks';
import { decodeCheckpoint, grokEpoch, modelFromCheckpoint } from '@grokking/trainer';
import { createFileStore } from '@grokking/trainer/node';
import { readMetrics, readRunConfig, runPaths, writeFileAtomic } from '../run-dir';
import { TASK_FAMILY, analyzeTask, type TaskAnalysis } from '../analysis/task-analysis';
export { phasesLine } from '../analysis/phases-line';

/** What analysis.json holds. */
export interface RunAnalysis {
  task: string;
  /** The grokking epoch (@grokking/trainer's grokEpoch: the first evaluation from which test accuracy stayed >= 99.9%), or null. */
  grokkedAt: number | null;
  /** Key frequencies of the final checkpoint (null for tasks without a Fourier analysis). */
  keyFrequencies: number[] | null;
  phases: Phases | null;
  /** Progress measures per checkpoint, by ascending epoch. */
  series: MeasureSeries;
  /** The final checkpoint's Fourier analysis (modular addition), else null. */
  fourier: (ModelAnalysis & { epoch: number }) | null;
  /** The circuit at every checkpoint, on the final key frequencies (modular addition), else null. */
  circuit: { keyFrequencies: number[]; points: CircuitPoint[] } | null;
  /** The task family's own analysis (digit addition, repeated subsequences, max element), else null. */
  taskAnalysis: TaskAnalysis | null;
}

/**
 * The phases of grokking: train and test loss from every evaluation in metrics.jsonl (finer than the checkpoints), the
 * restricted-loss fall from the checkpoints' measures. A failed detection keeps its reason.
 */
function runPhases(metrics: Record<string, unknown>[], series: MeasureSeries, finite: boolean): Phases {
  const none = (reason: string): Phases => ({ detected: false, reason, memorisation: null, circuitFormation: null, cleanup: null, restrictedLossFall: null });
  if (!finite) return none('no train set (infinite data): phases of grokking need a fixed train set to memorise');
  const rows = metrics.filter((r) => typeof r.epoch === 'number' && typeof r.trainLoss === 'number' && typeof r.testLoss === 'number');
  try {
    const restricted = series.points.every((m) => m.restrictedLoss) ? findPhases(seriesCurves(series)).restrictedLossFall : null;
    const phases = findPhases({ epochs: rows.map((r) => r.epoch as number), trainLoss: rows.map((r) => r.trainLoss as number), testLoss: rows.map((r) => r.testLoss as number) });
    return { ...phases, restrictedLossFall: restricted };
  } catch (err) {
    return none((err as Error).message);
  }
}

/**
 * Analyses a run directory and writes DIR/analysis.json.
 *
 * @example
 * const analysis = await analyzeCommand('runs/modular-addition-seed0');
 * analysis.keyFrequencies; // e.g. [14, 35, 41, 42, 52]
 */
export async function analyzeCommand(dir: string, options: { backend?: string } = {}): Promise<RunAnalysis> {
  const config = readRunConfig(dir);
  await readyBackend(options.backend ?? config.backend ?? 'wasm');
  const task = buildTask(config);
  const store = createFileStore(runPaths(dir).checkpoints);
  const epochs = await store.list();
  if (epochs.length === 0) throw new Error(`${dir} has no checkpoints to analyse`);
  // Exactly the sets the run trained and was evaluated on; with infinite data there is no train set to measure.
  const data = buildData(config, task);
  const split = data.modularSplit ?? { train: data.trainSet, test: data.test };
  const load = async (epoch: number) => modelFromCheckpoint(decodeCheckpoint(await store.read(epoch)));
  const checkpoints = () => epochs.map((epoch) => ({ epoch, model: () => load(epoch) }));

  let fourier: RunAnalysis['fourier'] = null;
  let circuit: RunAnalysis['circuit'] = null;
  // Addition, subtraction, multiplication and division are addition in a cyclic group: the Fourier analysis reads
  // them there. x²+y² and the like have no such group: their runs get the progress measures only.
  const operation = isModularTask(task) && TASK_FAMILY[task.info.name as TaskName] === 'modular-group' ? groupOperationOf(task) : null;
  if (data.modularSplit && operation) {
    const last = epochs[epochs.length - 1]!;
    const model = await load(last);
    try {
      fourier = { epoch: last, ...(await analyzeModel(model, { operation })) };
    } finally {
      model.dispose();
    }
    circuit = await circuitSeries(checkpoints(), { keyFrequencies: fourier.keyFrequencies, operation });
  }
  // The other operations' excluded and restricted loss are read in their group, on the group's key frequencies.
  const groupKeys = fourier && operation !== 'add' ? { keyFrequencies: fourier.keyFrequencies } : {};
  const series = await measureSeries(checkpoints(), { task, split, ...groupKeys });

  const metrics = readMetrics(dir);
  const phases = runPhases(metrics, series, data.trainSet !== null);
  const taskAnalysis = await analyzeTask({ task, test: data.test, metrics, series, epochs, load });
  const analysis: RunAnalysis = {
    task: task.info.name,
    grokkedAt: grokEpoch(metrics),
    keyFrequencies: fourier?.keyFrequencies ?? null,
    phases,
    series,
    fourier,
    circuit,
    taskAnalysis,
  };
  writeFileAtomic(runPaths(dir).analysis, `${JSON.stringify(analysis)}\n`);
  return analysis;
}
