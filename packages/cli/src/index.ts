export { resolveConfig, mergeConfig, RunConfig, type RunConfigInput } from './config';
export { TRAIN_FLAGS, flagsMarkdown } from './flags';
export { presetsMarkdown } from './commands/presets';
export { DOC_BLOCKS, replaceBlock, type DocBlock } from './doc-blocks';
export { runPaths, readMetrics, readRunConfig } from './run-dir';
export { readSweepFile, SweepRow, SweepFile } from './sweep/sweep-file';
export { renderReport } from './report/render';
export type { Report, Figure, LineFigure, BarFigure, HeatmapFigure, ScatterFigure } from './report/figures';
