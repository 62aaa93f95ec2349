// Assembles the WebAssembly text kernels in src/*.wat into src/*-binary.ts (base64), one
// binary for a shared memory (tfjs' threaded wasm backend) and one for a plain memory. Run after editing a .wat:
//   pnpm --filter @grokking/wasm-kernels kernels
// A test assembles the sources again and compares, so the committed binaries cannot drift from the text.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleKernel, binaryModuleSource } from './kernel-assembly.mjs';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
for (const file of readdirSync(dir).filter((f) => f.endsWith('.wat'))) {
  const text = readFileSync(join(dir, file), 'utf8');
  const binaries = { shared: await assembleKernel(text, 'shared'), plain: await assembleKernel(text, 'plain') };
  const out = join(dir, file.replace(/\.wat$/, '-binary.ts'));
  writeFileSync(out, binaryModuleSource(file, binaries));
  console.log(`${out}: shared ${binaries.shared.length} bytes, plain ${binaries.plain.length} bytes`);
}
