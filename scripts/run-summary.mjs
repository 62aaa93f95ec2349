// `node scripts/run-summary.mjs RUN_DIR OUT_DIR`: a run directory's compact results for docs/results: its
// metrics.jsonl as written, and summary.json with analysis.json's phases, key frequencies, final logit fit and
// clusters, the progress measures per checkpoint and the circuit over training (no checkpoints, no heatmaps).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [run, out] = process.argv.slice(2);
if (!run || !out) throw new Error('usage: node scripts/run-summary.mjs RUN_DIR OUT_DIR');
const a = JSON.parse(readFileSync(join(run, 'analysis.json'), 'utf8'));
const neurons = a.fourier?.neurons;
const summary = {
  date: new Date().toISOString(),
  config: JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')),
  grokkedAt: a.grokkedAt,
  keyFrequencies: a.keyFrequencies,
  phases: a.phases,
  logitFitVarianceExplained: a.fourier?.logits?.fit.fractionOfVarianceExplained ?? null,
  neuronsInClusters: neurons ? neurons.fractions.length - neurons.clusters.unclustered.length : null,
  neurons: neurons ? neurons.fractions.length : null,
  series: a.series.points.map((p) => ({ epoch: p.epoch, loss: p.loss, excludedLoss: p.excludedLoss, restrictedLoss: p.restrictedLoss,
    gini: p.gini, sumSquaredWeights: p.sumSquaredWeights?.total ?? null })),
  circuit: a.circuit,
  taskAnalysis: a.taskAnalysis ?? null,
};
mkdirSync(out, { recursive: true });
copyFileSync(join(run, 'metrics.jsonl'), join(out, 'metrics.jsonl'));
writeFileSync(join(out, 'summary.json'), `${JSON.stringify(summary)}\n`);
console.error(`wrote ${out}/metrics.jsonl and ${out}/summary.json`);
