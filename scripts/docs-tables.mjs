// `pnpm docs:tables`: rewrites the generated tables of the docs (DOC_BLOCKS of @grokking/cli) from the code that
// owns them; `--check` only reports which are stale. Needs the CLI built.
import { readFileSync, writeFileSync } from 'node:fs';
import { DOC_BLOCKS, replaceBlock } from '../packages/cli/dist/index.js';

const check = process.argv.includes('--check');
let stale = 0;
for (const block of DOC_BLOCKS) {
  const page = readFileSync(block.file, 'utf8');
  const next = replaceBlock(page, block.name, block.render());
  if (next === page) continue;
  stale += 1;
  if (check) console.error(`stale: the ${block.name} table of ${block.file}`);
  else writeFileSync(block.file, next);
}
if (check && stale) process.exit(1);
console.error(check ? 'docs tables are up to date' : `rewrote ${stale} table(s)`);
