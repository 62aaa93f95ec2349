// Test fixture: a sweep directory as grok sweep leaves it, with hand-made rows, metrics and analysis.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A sweep directory as grok sweep leaves it: sweep.json and one run directory per point (in `at`, or a new temporary directory). */
export function fakeSweep(points: { id: string; settings: Record<string, number | string>; metrics: Record<string, unknown>[]; analysis?: unknown }[], at?: string): string {
  const dir = at ?? mkdtempSync(join(tmpdir(), 'reproduce-collect-'));
  mkdirSync(dir, { recursive: true });
  const rows = points.map((p) => ({
    id: p.id, dir: `points/${p.id}`, settings: p.settings, status: 'done', grokkedEpoch: 40, finalEpoch: 90, trainLoss: 1e-6, testLoss: 1e-5,
    trainAccuracy: 1, testAccuracy: 1, keyFrequencies: [3], wallSeconds: 5, error: null, attempts: 1, host: 'h',
  }));
  writeFileSync(join(dir, 'sweep.json'), JSON.stringify({ format: 1, kind: 'sweep', specHash: 'x', spec: {}, updatedAt: '2026-01-01T00:00:00Z', rows }));
  for (const p of points) {
    const run = join(dir, 'points', p.id);
    mkdirSync(run, { recursive: true });
    writeFileSync(join(run, 'metrics.jsonl'), p.metrics.map((m) => JSON.stringify(m)).join('\n') + '\n');
    if (p.analysis) writeFileSync(join(run, 'analysis.json'), JSON.stringify(p.analysis));
  }
  return dir;
}

