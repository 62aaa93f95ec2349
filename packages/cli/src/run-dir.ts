// The run directory: a stable, documented layout that `grok train` writes and `grok analyze` / `grok report` read.
//
//   DIR/config.json      the fully resolved RunConfig, plus versions and the backend used
//   DIR/metrics.jsonl    one JSON object per evaluation: epoch, trainLoss, testLoss, trainAccuracy, testAccuracy, ...
//   DIR/checkpoints/     epoch-0001000.safetensors, ... (model weights, optimiser and RNG state; sorted by name = by epoch)
//   DIR/analysis.json    written by `grok analyze`
//   DIR/report.html      written by `grok report`, self-contained
import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig, type RunConfig } from './config';

/** Paths inside a run directory. */
export function runPaths(dir: string) {
  return {
    dir,
    config: join(dir, 'config.json'),
    metrics: join(dir, 'metrics.jsonl'),
    checkpoints: join(dir, 'checkpoints'),
    analysis: join(dir, 'analysis.json'),
    report: join(dir, 'report.html'),
  };
}

/** Writes a file atomically: a temp file beside it, fsync, rename; a crash leaves the old file or the new one. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Writes DIR/config.json (creating DIR). */
export function writeRunConfig(dir: string, config: unknown): void {
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(runPaths(dir).config, `${JSON.stringify(config, null, 2)}\n`);
}

/**
 * Reads DIR/config.json and resolves it (the versions and backend details saved beside it are dropped), with a clear
 * error when DIR is not a run directory.
 */
export function readRunConfig(dir: string): RunConfig {
  const path = runPaths(dir).config;
  if (!existsSync(path)) throw new Error(`${dir} is not a run directory: ${path} does not exist`);
  let saved: Record<string, unknown>;
  try {
    saved = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  const { versions: _v, backendInfo: _b, ...config } = saved;
  return resolveConfig(config);
}

/** Appends one evaluation record to DIR/metrics.jsonl. */
export function appendMetrics(dir: string, record: Record<string, unknown>): void {
  appendFileSync(runPaths(dir).metrics, `${JSON.stringify(record)}\n`);
}

/**
 * Reads DIR/metrics.jsonl. A torn last line (a kill mid-write) is skipped; records past `maxEpoch` are dropped, so a
 * resumed run does not show the evaluations it is about to redo.
 */
export function readMetrics(dir: string, maxEpoch = Infinity): Record<string, unknown>[] {
  const path = runPaths(dir).metrics;
  if (!existsSync(path)) return [];
  const out: Record<string, unknown>[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const record = JSON.parse(line) as Record<string, unknown>;
      if (typeof record.epoch === 'number' && record.epoch <= maxEpoch) out.push(record);
    } catch {
      // a torn final line: ignored
    }
  }
  return out;
}

/** Rewrites DIR/metrics.jsonl with the given records (used when resuming from an earlier checkpoint). */
export function rewriteMetrics(dir: string, records: Record<string, unknown>[]): void {
  writeFileAtomic(runPaths(dir).metrics, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
}
