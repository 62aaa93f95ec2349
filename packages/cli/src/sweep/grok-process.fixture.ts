// For tests: the built `grok` binary as a child process whose output is collected, and waiting for a condition.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The built CLI (tests of the sweep commands run it as users do: build first). */
export const BIN = join(__dirname, '..', '..', 'dist', 'bin.js');

/** A running `grok` process and everything it has written to stdout and stderr so far. */
export interface GrokProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/**
 * Starts `grok ARGS` (one wasm thread per process unless the environment says otherwise).
 *
 * @example
 * const worker = startGrok(['worker', '--queue', redis.url]);
 */
export function startGrok(args: string[], env: Record<string, string> = {}): GrokProcess {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, GROKKING_WASM_THREADS: '1', ...env } });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/**
 * Runs `grok ARGS` to the end.
 *
 * @example
 * const { code, output } = await runGrok(['sweep', '--grid', 'lr=0.01', '--out', dir]);
 */
export async function runGrok(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  const p = startGrok(args, env);
  const code = await p.exited;
  return { code, output: p.output() };
}

/**
 * Polls `condition` every 100 ms until it is true.
 *
 * @example
 * await waitFor(() => existsSync(join(dir, 'checkpoints', 'epoch-0000100.safetensors')), 60_000, 'a checkpoint at epoch 100');
 * @throws naming what was awaited, after `timeoutMs`.
 */
export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!condition()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Whether a process is alive (a zombie, dead but not yet reaped, is not). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/PID/stat: "pid (name) STATE ..."; Z is a zombie.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/**
 * Processes whose command line mentions `text` (Linux /proc).
 *
 * @example
 * processesWith(join(dir, 'points')); // the pids of the runs writing a sweep's points
 */
export function processesWith(text: string): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
    } catch {
      return false;
    }
  }).map(Number).filter(alive);
}
