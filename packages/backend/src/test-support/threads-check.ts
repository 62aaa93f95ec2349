import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './fresh-build';
import { PUBLISHED_WASM_BUNDLE_SHA256 } from './published-wasm';

/** What tfjs-backend-cpu prints on its first use in Node, whatever the wasm backend does. */
const CPU_HINT = /\n=+\nHi, looks like you are running TensorFlow\.js in Node\.js\.[^\n]*\n=+\n\n?/;

/** What test/wasm-threads-check.mjs prints. */
export interface ThreadsCheck {
  info: { name: string; active: string; simd?: boolean; threads?: number; node: boolean };
  threadsCount: number;
  multithreadFlag: boolean;
  sharedMemory: boolean;
  bundleSha256: string;
  maxDiff: number;
  leaked: number;
}

/** How the check's process ended, and what it printed. */
export interface CheckRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  error: Error | undefined;
  /** Its stderr, less tfjs-backend-cpu's one-time hint to install tfjs-node. */
  stderr: string;
  result: ThreadsCheck | undefined;
  stdout: string;
}

/** Where and how {@link runThreadsCheck} runs the check. */
export interface CheckOptions {
  /** The root of another install to copy the check into and run it against; by default this workspace's install. */
  root?: string;
  /** Give the check to `node --input-type=module -e` instead of running its file. */
  evalModule?: boolean;
  /** How long before the run counts as hung: a run that does not exit by itself is killed. */
  timeoutMs?: number;
}

/**
 * Runs test/wasm-threads-check.mjs in plain Node, outside jest (no JEST_WORKER_ID, so readyBackend takes
 * GROKKING_WASM_THREADS as its default thread count): in place, against the built package and the tfjs-backend-wasm
 * this workspace installs, or copied into the root of another install and run against the packages installed there.
 */
export function runThreadsCheck(threads: number, options: CheckOptions = {}): CheckRun {
  const { root, evalModule = false, timeoutMs = 60_000 } = options;
  let script = join(PACKAGE_ROOT, 'test', 'wasm-threads-check.mjs');
  if (root !== undefined) {
    copyFileSync(script, join(root, 'wasm-threads-check.mjs'));
    script = join(root, 'wasm-threads-check.mjs');
  }
  const args = evalModule ? ['--input-type=module', '-e', readFileSync(script, 'utf8')] : [script];
  const { JEST_WORKER_ID: _jest, ...env } = process.env;
  const child = spawnSync(process.execPath, args, {
    cwd: root ?? PACKAGE_ROOT,
    env: { ...env, GROKKING_WASM_THREADS: String(threads) },
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  let result: ThreadsCheck | undefined;
  try {
    result = JSON.parse(child.stdout) as ThreadsCheck;
  } catch {
    result = undefined;
  }
  const stderr = child.stderr.replace(CPU_HINT, '');
  return { status: child.status, signal: child.signal, error: child.error, stderr, stdout: child.stdout, result };
}

/**
 * The checks every run of the published bundle must pass: the child exited by itself, cleanly, on the bundle as npm
 * ships it, with `threads` threads (the threaded build, whose memory is shared, when more than one), multiplying like
 * cpu and leaking no tensor. Call it from a jest test.
 *
 * @example
 * expectPublishedThreadsRun(runThreadsCheck(2), 2);
 */
export function expectPublishedThreadsRun(run: CheckRun, threads: number): ThreadsCheck {
  expect(run.error).toBeUndefined(); // a hang is killed (after 60 s by default) and shows here
  expect(run.signal).toBeNull();
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const out = run.result!;
  expect(out.bundleSha256).toBe(PUBLISHED_WASM_BUNDLE_SHA256);
  expect(out.info).toEqual({ name: 'wasm', active: 'wasm', simd: true, threads, node: true });
  expect(out.threadsCount).toBe(threads);
  expect(out.multithreadFlag).toBe(threads > 1);
  expect(out.sharedMemory).toBe(threads > 1);
  expect(out.maxDiff).toBeLessThan(1e-4);
  expect(out.leaked).toBe(0);
  return out;
}
