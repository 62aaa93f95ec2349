// Writing an experiment's results, its figures and its block of the docs page. Files are replaced atomically (a
// temporary file renamed over the old one), so an interrupted write never leaves half a file.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ExperimentName } from './catalogue';
import { renderSvg } from './render';
import { FIGURES, type Figure } from './figures';
import { experimentBlock, replaceExperimentBlock } from './page';
import { experimentResultsDir, resultsFile } from './paths';
import { readResults, type ExperimentResults } from './results';

function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Writes an experiment's results.json. */
export function writeResults(results: ExperimentResults, dir: string): string {
  const path = resultsFile(dir, results.experiment);
  writeAtomic(path, `${JSON.stringify(results)}\n`);
  return path;
}

/** The committed results of an experiment, or null when it has none. */
export function loadResults(name: ExperimentName, dir: string): ExperimentResults | null {
  const path = resultsFile(dir, name);
  return existsSync(path) ? readResults(path) : null;
}

/**
 * Draws an experiment's figures from its results into its results directory (SVG), removing figures it no longer
 * draws; returns them.
 *
 * @example
 * await writeFigures(loadResults('seed-run', RESULTS_DIR)!, RESULTS_DIR);
 */
export async function writeFigures(results: ExperimentResults, dir: string): Promise<Figure[]> {
  const name = results.experiment as ExperimentName;
  const out = experimentResultsDir(dir, name);
  const figures = FIGURES[name](results);
  const names = new Set(figures.map((f) => `${f.name}.svg`));
  for (const f of figures) writeAtomic(join(out, `${f.name}.svg`), await renderSvg(f.chart));
  if (existsSync(out)) for (const file of readdirSync(out)) if (file.endsWith('.svg') && !names.has(file)) rmSync(join(out, file));
  return figures;
}

/**
 * Rewrites the experiments' blocks of the docs page from their results (an experiment without results gets the "not
 * run yet" block).
 *
 * @example
 * writePage('docs/reproduction.md', RESULTS_DIR, ['seed-run']);
 */
export function writePage(page: string, dir: string, names: readonly ExperimentName[]): void {
  let text = readFileSync(page, 'utf8');
  for (const name of names) {
    const results = loadResults(name, dir);
    text = replaceExperimentBlock(text, name, experimentBlock(name, results, results ? FIGURES[name](results) : []));
  }
  writeAtomic(page, text);
}
