import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { experimentNames, EXPERIMENTS } from './catalogue';
import { FIGURES } from './figures';
import { experimentBlock, pageBlocks, replaceExperimentBlock } from './page';
import { resultsFile } from './paths';
import { readResults } from './results';

// The committed page and results, read from the repository root.
const ROOT = resolve(__dirname, '..', '..');
const PAGE_PATH = join(ROOT, 'docs', 'reproduction.md');
const RESULTS = join(ROOT, 'docs', 'results', 'reproduce');
const page = readFileSync(PAGE_PATH, 'utf8');

describe('the reproduction page', () => {
  it('has one block per experiment, each exactly as written from its results.json', () => {
    const blocks = pageBlocks(page);
    expect(Object.keys(blocks).sort()).toEqual([...experimentNames].sort());
    for (const name of experimentNames) {
      const path = resultsFile(RESULTS, name);
      const results = existsSync(path) ? readResults(path) : null;
      const expected = experimentBlock(name, results, results ? FIGURES[name](results) : []);
      expect({ name, block: blocks[name] }).toEqual({ name, block: expected });
    }
  });

  it('keeps every table, every figure and every measured number inside the generated blocks', () => {
    let outside = page;
    for (const name of experimentNames) outside = replaceExperimentBlock(outside, name, '');
    const lines = outside.split('\n');
    expect(lines.filter((l) => l.startsWith('|'))).toEqual([]);
    expect(lines.filter((l) => l.includes('](./results/'))).toEqual([]);
  });

  it('references only figures and files that exist, here and on the landing page', () => {
    for (const path of [PAGE_PATH, join(ROOT, 'docs', 'index.md')]) {
      const links = [...readFileSync(path, 'utf8').matchAll(/\]\((\.\/results\/[^)]+)\)/g)].map((m) => m[1]!);
      for (const link of links) expect({ path, link, exists: existsSync(join(dirname(path), link)) }).toEqual({ path, link, exists: true });
    }
  });

  it('names each experiment\'s command in its block', () => {
    for (const name of experimentNames) expect(pageBlocks(page)[name]).toContain(`pnpm reproduce --only ${name}`);
    expect(Object.keys(EXPERIMENTS)).toEqual(experimentNames);
  });
});
