export { resolveConfig, mergeConfig, RunConfig, type RunConfigInput } from './config';
export { TRAIN_FLAGS } from './flags';
export { runPaths, readMetrics, readRunConfig } from './run-dir';
export { renderReport } from './report/render';
export type { Report, Figure, LineFigure, BarFigure, HeatmapFigure, ScatterFigure } from './report/figures';
