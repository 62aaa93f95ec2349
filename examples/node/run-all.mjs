// Runs every example in turn (each ends with its own assertions) and prints a summary line.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const examples = ['train-small.mjs', 'analyze-checkpoint.mjs', 'infinite-data.mjs', 'export-pytorch.mjs'];
const dir = fileURLToPath(new URL('.', import.meta.url));
let passed = 0;
let failed = 0;
for (const file of examples) {
  const start = performance.now();
  const run = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8' });
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  const lastLine = run.stdout.trim().split('\n').at(-1);
  if (run.status === 0) {
    passed++;
    console.log(`ok   ${file} (${seconds} s): ${lastLine}`);
  } else {
    failed++;
    console.log(`FAIL ${file} (${seconds} s)\n${run.stdout}${run.stderr}`);
  }
}
console.log(`examples: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
