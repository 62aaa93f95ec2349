// Package versions recorded in config.json, so a run says what produced it.
import { createRequire } from 'node:module';

const PACKAGES = ['@grokking/cli', '@grokking/tasks', '@grokking/model', '@grokking/trainer', '@tensorflow/tfjs-core'];

/** The versions of the packages that produce a run, and of Node. */
export function versions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const out: Record<string, string> = { node: process.versions.node };
  for (const name of PACKAGES) {
    try {
      out[name] = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      out[name] = 'unknown';
    }
  }
  return out;
}
