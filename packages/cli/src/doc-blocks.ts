// The generated blocks of the docs: written from the code that owns them (PRESETS, TRAIN_FLAGS) or from committed
// result files (docs/results/), between
// `<!-- NAME:start -->` and `<!-- NAME:end -->` markers. `pnpm docs:tables` rewrites them; a test checks them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flagsMarkdown } from './flags';
import { presetsMarkdown } from './commands/presets';
import { mainJobMarkdown, type MainJobRecord } from './main-job';
import { benchSummaryMarkdown, type BenchLatest } from './bench-summary';
import { sweepThroughputMarkdown, type ThroughputRecord } from './sweep/throughput-table';

/** A generated block: the file (relative to the repository root), its marker name and its content. */
export interface DocBlock {
  file: string;
  name: string;
  /** The block's content; `root` is the repository root, for blocks read from result files. */
  render: (root: string) => string;
}

const readResult = <T>(root: string, name: string): T => JSON.parse(readFileSync(join(root, 'docs', 'results', name), 'utf8')) as T;

/** Every generated block. */
export const DOC_BLOCKS: readonly DocBlock[] = [
  { file: 'docs/guide/experiments.md', name: 'presets', render: presetsMarkdown },
  { file: 'packages/cli/README.md', name: 'presets', render: presetsMarkdown },
  { file: 'packages/cli/README.md', name: 'flags', render: flagsMarkdown },
  { file: 'README.md', name: 'main-job', render: (root) => mainJobMarkdown(readResult<MainJobRecord>(root, 'main-job.json')) },
  { file: 'docs/benchmarks.md', name: 'bench-summary',
    render: (root) => benchSummaryMarkdown(JSON.parse(readFileSync(join(root, 'benchmarks', 'results', 'latest.json'), 'utf8')) as BenchLatest) },
  { file: 'docs/guide/sweeps.md', name: 'sweep-throughput', render: (root) => sweepThroughputMarkdown(readResult<ThroughputRecord>(root, 'sweep-throughput.json')) },
];

/**
 * A page with the block replaced by `content`.
 *
 * @throws when the page lacks the block's markers.
 * @example
 * replaceBlock('a\n<!-- t:start -->\nold\n<!-- t:end -->\n', 't', 'new'); // 'a\n<!-- t:start -->\nnew\n<!-- t:end -->\n'
 */
export function replaceBlock(page: string, name: string, content: string): string {
  const pattern = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(\\n<!-- ${name}:end -->)`);
  if (!pattern.test(page)) throw new Error(`the page has no <!-- ${name}:start --> ... <!-- ${name}:end --> block`);
  return page.replace(pattern, (_, start: string, end: string) => `${start}${content}${end}`);
}
