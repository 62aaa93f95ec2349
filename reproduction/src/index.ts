// @grokking/reproduction: the write-up's experiments run with `grok`, their compact results, figures and docs page.
export { EXPERIMENTS, experimentNames, checkExperimentNames, type Experiment, type ExperimentName, type SweepSpec, type CrossoverSpec } from './catalogue';
export { RUNS_DIR, RESULTS_DIR, PAGE, resultsFile, experimentResultsDir } from './paths';
export { readResults, MAX_CURVE_POINTS, type ExperimentResults, type PointResult, type Curves } from './results';
export { collectExperiment, collectPoint, collectSweep, collectCrossover, curvesOf, thinIndices, lossFallsOf, spikesOf, taskSummaryOf } from './collect';
export { experimentCommands, sweepArgs, crossoverArgs, grokBin } from './run';
export { lineChart, sweepChart, barChart, seriesRows, type ChartSpec } from './charts';
export { renderSvg } from './render';
export { FIGURES, type Figure } from './figures';
export { experimentBlock, replaceExperimentBlock, pageBlocks } from './page';
export { writeResults, loadResults, writeFigures, writePage } from './write';
