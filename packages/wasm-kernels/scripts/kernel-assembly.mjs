// WebAssembly text -> binary with wabt, shared by the assemble script and the test that checks the committed output.
import { Buffer } from 'node:buffer';
import wabtInit from 'wabt';

/** The memory import of each variant: tfjs' threaded backend shares its memory (the maximum must cover its own). */
export const MEMORY = { shared: '(memory 1 65536 shared)', plain: '(memory 1)' };
const FEATURES = { simd: true, threads: true, bulk_memory: true };

/** The binary of a kernel's text for one memory variant. */
export async function assembleKernel(text, variant) {
  if (!text.includes('"memory" MEMORY')) throw new Error('kernel text must import its memory as (import "env" "memory" MEMORY)');
  const wabt = await wabtInit();
  const module = wabt.parseWat('kernel.wat', text.replace('"memory" MEMORY', `"memory" ${MEMORY[variant]}`), FEATURES);
  try {
    module.validate(FEATURES);
    return Uint8Array.from(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

/** The name of a kernel's binary constant: row-mix.wat -> ROW_MIX_BINARY. */
export function binaryName(watFile) {
  return `${watFile.replace(/\.wat$/, '').replace(/-/g, '_').toUpperCase()}_BINARY`;
}

/** The TypeScript module that carries both binaries as base64. */
export function binaryModuleSource(watFile, binaries) {
  const b64 = (bytes) => Buffer.from(bytes).toString('base64');
  return [
    `// Generated from ${watFile} by scripts/assemble-kernels.mjs; do not edit.`,
    "import type { KernelBinary } from './instance';",
    '',
    '/** The kernel binaries (base64): for a shared memory and for a plain one. */',
    `export const ${binaryName(watFile)}: KernelBinary = {`,
    `  shared: '${b64(binaries.shared)}',`,
    `  plain: '${b64(binaries.plain)}',`,
    '};',
    '',
  ].join('\n');
}
