// One evaluation record of a model: loss and accuracy on the training data and the test set, per slot when the task
// scores several, and the caller's metrics at their epochs. `train` and `trainStacked` (for each member) report these.
import type { Model } from '@grokking/model';
import type { Rng } from '@grokking/tasks';
import { evaluate } from './evaluate';
import type { EvalRecord, ResolvedTrainOptions } from './options';
import type { DataSource } from './source';

/**
 * Evaluates a model after `epoch` epochs (`step` optimiser steps) and runs the metrics when they are due (or `final`).
 *
 * @example
 * const record = await evalRecord(model, source, rng, o, epoch, optimizer.step, last);
 */
export async function evalRecord(
  model: Model,
  source: DataSource,
  rng: Rng,
  o: Pick<ResolvedTrainOptions, 'info' | 'loss' | 'evalBatchSize' | 'metrics' | 'metricsEvery'>,
  epoch: number,
  step: number,
  final: boolean,
): Promise<EvalRecord> {
  const { info } = o;
  const trainData = source.trainEval(rng);
  const tr = await evaluate(model, trainData, info, o.loss, o.evalBatchSize);
  const te = source.test ? await evaluate(model, source.test, info, o.loss, o.evalBatchSize) : null;
  const record: EvalRecord = { epoch, step, trainLoss: tr.loss, trainAccuracy: tr.accuracy };
  if (te) Object.assign(record, { testLoss: te.loss, testAccuracy: te.accuracy });
  if (info.nScored > 1) {
    Object.assign(record, { trainSlotLoss: tr.slotLoss, trainSlotAccuracy: tr.slotAccuracy });
    if (te) Object.assign(record, { testSlotLoss: te.slotLoss, testSlotAccuracy: te.slotAccuracy });
  }
  const metricNames = Object.keys(o.metrics);
  if (metricNames.length && (final || epoch % o.metricsEvery === 0)) {
    record.metrics = {};
    const context = { epoch, step, model, info, train: trainData.dataset, test: source.test?.dataset ?? null, record };
    for (const name of metricNames) record.metrics[name] = await o.metrics[name]!(context);
  }
  return record;
}
