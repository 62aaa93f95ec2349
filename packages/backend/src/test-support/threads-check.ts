import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './fresh-build';

/** What tfjs-backend-cpu prints on its first use in Node, whatever the wasm backend does. */
const CPU_HINT = /\n=+\nHi, looks like you are running TensorFlow\.js in Node\.js\.[^\n]*\n=+\n\n?/;

/** What test/wasm-threads-check.mjs prints. */
export interface ThreadsCheck {
  info: { name: string; active: string; simd?: boolean; threads?: number; node: boolean };
  threadsCount: number;
  multithreadFlag: boolean;
  patched: boolean;
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

/**
 * Copies test/wasm-threads-check.mjs into an install's root and runs it there in plain Node, outside jest (no
 * JEST_WORKER_ID, so readyBackend takes GROKKING_WASM_THREADS as its default thread count).
 *
 * @param timeoutMs How long before the run counts as hung: a run that does not exit by itself is killed.
 */
export function runThreadsCheck(root: string, threads: number, timeoutMs = 60_000): CheckRun {
  const script = join(root, 'wasm-threads-check.mjs');
  copyFileSync(join(PACKAGE_ROOT, 'test', 'wasm-threads-check.mjs'), script);
  const { JEST_WORKER_ID: _jest, ...env } = process.env;
  const child = spawnSync(process.execPath, [script], {
    cwd: root,
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
 * The checks every run of the published bundle must pass: the child exited by itself, cleanly, on the unpatched
 * bundle, with `threads` threads, multiplying like cpu and leaking no tensor. Call it from a jest test.
 *
 * @example
 * expectPublishedThreadsRun(runThreadsCheck(root, 2), 2);
 */
export function expectPublishedThreadsRun(run: CheckRun, threads: number, bundleSha256: string): ThreadsCheck {
  expect(run.error).toBeUndefined(); // a hang is killed after 60 s and shows here
  expect(run.signal).toBeNull();
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const out = run.result!;
  expect(out.patched).toBe(false);
  expect(out.bundleSha256).toBe(bundleSha256);
  expect(out.info).toEqual({ name: 'wasm', active: 'wasm', simd: true, threads, node: true });
  expect(out.threadsCount).toBe(threads);
  expect(out.maxDiff).toBeLessThan(1e-4);
  expect(out.leaked).toBe(0);
  return out;
}
