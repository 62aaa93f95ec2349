// `grok report DIR`: the self-contained HTML report of a run (report.html).
import { existsSync, readFileSync } from 'node:fs';
import { readMetrics, readRunConfig, runPaths, writeFileAtomic } from '../run-dir';
import { buildReport } from '../report/build';
import { renderReport } from '../report/render';
import type { RunAnalysis } from './analyze';

/**
 * Writes DIR/report.html from config.json, metrics.jsonl and (when present) analysis.json; returns its path.
 *
 * @example
 * await reportCommand('runs/modular-addition-seed0'); // 'runs/modular-addition-seed0/report.html'
 */
export async function reportCommand(dir: string): Promise<string> {
  const paths = runPaths(dir);
  const config = readRunConfig(dir);
  const analysis = existsSync(paths.analysis) ? (JSON.parse(readFileSync(paths.analysis, 'utf8')) as RunAnalysis) : null;
  writeFileAtomic(paths.report, renderReport(buildReport(config, readMetrics(dir), analysis)));
  return paths.report;
}
