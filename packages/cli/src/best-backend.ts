// The default backend of `grok train` in Node: the fastest one installed.
import { createRequire } from 'node:module';
import type { BackendName } from '@grokking/backend';

/** Fastest first: tfjs-node with CUDA, tfjs-node, then wasm (installed with the CLI). */
const PREFERENCE: [BackendName, string][] = [
  ['tensorflow-gpu', '@tensorflow/tfjs-node-gpu'],
  ['tensorflow', '@tensorflow/tfjs-node'],
];

/**
 * The best backend installed here: `tensorflow-gpu` or `tensorflow` when `@tensorflow/tfjs-node(-gpu)` resolves,
 * else `wasm`.
 *
 * @example
 * bestNodeBackend(); // 'wasm' on a machine without tfjs-node
 */
export function bestNodeBackend(resolve: (id: string) => string = createRequire(import.meta.url).resolve): BackendName {
  for (const [name, pkg] of PREFERENCE) {
    try {
      resolve(pkg);
      return name;
    } catch {
      // not installed
    }
  }
  return 'wasm';
}
