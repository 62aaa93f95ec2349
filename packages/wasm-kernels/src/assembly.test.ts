// Every committed kernel binary is the assembled text of its .wat, and instantiates on its kind of memory.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error: a plain-JavaScript build script, without types
import { assembleKernel, binaryName } from '../scripts/kernel-assembly.mjs';
import { ADAM_BINARY } from './adam-binary';
import { BATCH_MATMUL_BINARY } from './batch-matmul-binary';
import { COPY_BINARY } from './copy-binary';
import { CROSS_ENTROPY_BINARY } from './cross-entropy-binary';
import { ELEMENTWISE_BINARY } from './elementwise-binary';
import { instanceOn, type KernelBinary } from './instance';
import { ROW_MIX_BINARY } from './row-mix-binary';
import { TRANSPOSE_BINARY } from './transpose-binary';

const COMMITTED: Record<string, KernelBinary> = { ROW_MIX_BINARY, CROSS_ENTROPY_BINARY, ADAM_BINARY, TRANSPOSE_BINARY, COPY_BINARY, BATCH_MATMUL_BINARY, ELEMENTWISE_BINARY };
const sources = readdirSync(__dirname).filter((f) => f.endsWith('.wat'));

it('knows every kernel', () => {
  expect(sources.map((f) => binaryName(f)).sort()).toEqual(Object.keys(COMMITTED).sort());
});

it.each(sources)('%s: the committed binaries are its assembled text', async (file) => {
  const text = readFileSync(join(__dirname, file), 'utf8');
  const committed = COMMITTED[binaryName(file)]!;
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  expect(b64(await assembleKernel(text, 'shared'))).toBe(committed.shared);
  expect(b64(await assembleKernel(text, 'plain'))).toBe(committed.plain);
});

it.each(Object.keys(COMMITTED))('%s instantiates on a shared memory (threaded backend) and on a plain one', (name) => {
  const binary = COMMITTED[name]!;
  const shared = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
  const plain = new WebAssembly.Memory({ initial: 1 });
  expect(instanceOn(binary, shared)).not.toBeNull();
  expect(instanceOn(binary, plain)).not.toBeNull();
});
