// `pnpm docs:tables`: rewrites the generated blocks of the docs (DOC_BLOCKS of @grokking/cli) from the code or the
// result files that own them; `--check` only reports which are stale. Needs the CLI built.
import { readFileSync, writeFileSync } from 'node:fs';
import { DOC_BLOCKS, replaceBlock } from '../packages/cli/dist/index.js';

const check = process.argv.includes('--check');
let stale = 0;
let failed = 0;
for (const block of DOC_BLOCKS) {
  try {
    const page = readFileSync(block.file, 'utf8');
    const next = replaceBlock(page, block.name, block.render(process.cwd()));
    if (next === page) continue;
    stale += 1;
    if (check) console.error(`stale: the ${block.name} block of ${block.file}`);
    else writeFileSync(block.file, next);
  } catch (err) {
    failed += 1;
    console.error(`cannot write the ${block.name} block of ${block.file}: ${err.message}`);
  }
}
console.error(check ? `${stale} stale block(s)` : `rewrote ${stale} block(s)`);
if (failed || (check && stale)) process.exit(1);
