// The many-runs arithmetic on hand-made timings: K separate steps, the speed-up, runs per hour and the crossover.
import type { StackedTfjsResult, TimedStep } from './stacked-child';
import { RUN_EPOCHS, stackedLines, stackedResult } from './stacked-report';

const step = (medianS: number): TimedStep => ({ label: 'step', medianS, timesS: [medianS], firstLoss: 1, lastLoss: 1 });
const child = (single: number, stacked: [number, number][]): StackedTfjsResult => ({
  workload: 'modular-addition-p23', backend: 'wasm', threads: 2, simd: true, single: step(single),
  stacked: stacked.map(([models, s]) => ({ models, ...step(s) })), peakRssMb: 100, tensors: { live: 0, leaked: 0 },
});
const about = { model: 'small', examples: 264, backend: 'tfjs-wasm, 2 threads, SIMD' };

describe('stackedResult', () => {
  it('counts K separate runs one after another and finds the first K where the stack is faster', () => {
    const r = stackedResult(child(0.1, [[1, 0.12], [4, 0.3], [16, 0.8]]), about);
    expect(RUN_EPOCHS).toBe(10_000);
    expect(r.rows.map((row) => row.separateS)).toEqual([0.1, 0.4, 1.6]);
    expect(r.rows[1]!.speedup).toBeCloseTo(0.4 / 0.3, 12);
    expect(r.rows[1]!.runsPerHour).toBeCloseTo((4 * 3600) / (0.3 * 10_000), 12); // 4.8
    expect(r.rows[1]!.separateRunsPerHour).toBeCloseTo(3600 / (0.1 * 10_000), 12); // 3.6
    expect(r.crossover).toBe(4);
    expect(stackedLines([r]).join('\n')).toContain('| 4 | 0.3000 | 0.4000 | 1.33× | 4.8 | 3.6 |');
  });

  it('reports no crossover when the stack is never faster', () => {
    expect(stackedResult(child(0.1, [[1, 0.2], [4, 0.5]]), about).crossover).toBeNull();
    expect(stackedLines([])).toEqual([]);
  });
});
