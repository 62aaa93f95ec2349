// Where the reproduction keeps things: the runs (checkpoints and all, not committed) and the compact results and
// figures (committed, under docs/results/reproduce/<experiment>/).
import { join } from 'node:path';

/** Run directories: runs/reproduce/<experiment>/<sweep>/points/<point>/. */
export const RUNS_DIR = 'runs/reproduce';
/** Compact results and figures: docs/results/reproduce/<experiment>/{results.json, *.svg}. */
export const RESULTS_DIR = 'docs/results/reproduce';
/** The docs page whose tables are written from the results. */
export const PAGE = 'docs/reproduction.md';

/** An experiment's sweep directory under `runs`. */
export const sweepDir = (runs: string, experiment: string, sweep: string) => join(runs, experiment, sweep);
/** An experiment's crossover directory under `runs`. */
export const crossoverDir = (runs: string, experiment: string) => join(runs, experiment, 'crossover');
/** An experiment's results directory under `results`. */
export const experimentResultsDir = (results: string, experiment: string) => join(results, experiment);
/** An experiment's results file. */
export const resultsFile = (results: string, experiment: string) => join(results, experiment, 'results.json');
