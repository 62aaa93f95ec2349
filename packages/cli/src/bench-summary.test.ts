// The benchmarks summary shows what a results file holds, and only that: rows, the general path, the other presets.
import { benchSummaryMarkdown, type BenchLatest } from './bench-summary';

const base: BenchLatest = {
  date: '2026-01-02T03:04:05.000Z',
  command: 'pnpm bench',
  machine: { cpu: 'Test CPU', cores: 2, loadBefore: 0.5, loadAfter: 0.7 },
  rows: [
    { implementation: 'PyTorch reference', backend: 'CPU, OpenBLAS, 2 threads', formulation: 'last', medianS: 0.08, vsTorchLast: 1, vsTorchAll: 0.5 },
    { implementation: 'trainer', backend: 'tfjs-wasm, 2 threads, SIMD', formulation: 'last', medianS: 0.06, vsTorchLast: 0.75, vsTorchAll: 0.375 },
  ],
};

const generalPath = {
  implementation: 'trainer, general path', backend: 'tfjs-wasm, 2 threads, SIMD', formulation: 'last', medianS: 0.4, vsTorchLast: 5, vsTorchAll: 2.5,
};

const workload = {
  name: 'digit-addition',
  model: '1-layer transformer, d_model 128, 4 heads of 32, d_mlp 512 (ReLU)',
  examples: 700,
  positions: 'the last block at the 6 scored positions of 17 (11–16)',
  rows: [
    { implementation: 'PyTorch reference', backend: 'CPU, OpenBLAS, 2 threads', medianS: 0.02, firstLoss: 2.637612, reference: true, vsTorch: 1, initLossRelDiff: 0 },
    { implementation: 'trainer', backend: 'tfjs-wasm, 2 threads, SIMD', medianS: 0.05, firstLoss: 2.637613, vsTorch: 2.5, initLossRelDiff: 3e-7 },
  ],
};

describe('benchSummaryMarkdown', () => {
  it('renders every row of the file with its ratios', () => {
    const md = benchSummaryMarkdown(base);
    expect(md).toContain('| trainer, tfjs-wasm, 2 threads, SIMD | last | 0.0600 | 0.75 | 0.38 |');
    expect(md).toContain('| PyTorch reference, CPU, OpenBLAS, 2 threads | last | 0.0800 | 1.00 | 0.50 |');
  });

  it('shows a general-path row, and says what it is, only when the file has one', () => {
    expect(benchSummaryMarkdown(base)).not.toContain('general path');
    const md = benchSummaryMarkdown({ ...base, rows: [...base.rows, generalPath] });
    expect(md).toContain('| trainer, general path, tfjs-wasm, 2 threads, SIMD | last | 0.4000 | 5.00 | 2.50 |');
    expect(md).toContain('`model.fastPath = false`');
  });

  it('shows the other presets\' steps with their ratio and loss at init, only when the file has them', () => {
    expect(benchSummaryMarkdown(base)).not.toContain('One training step of other presets');
    expect(benchSummaryMarkdown({ ...base, workloads: [] })).not.toContain('One training step of other presets');
    const md = benchSummaryMarkdown({ ...base, workloads: [workload] });
    expect(md).toContain('| `digit-addition` | PyTorch reference, CPU, OpenBLAS, 2 threads | 0.0200 | 1.00 | 2.63761 |');
    expect(md).toContain('| `digit-addition` | trainer, tfjs-wasm, 2 threads, SIMD | 0.0500 | 2.50 | 2.63761 (3e-7) |');
    expect(md).toContain('- `digit-addition`: 1-layer transformer, d_model 128, 4 heads of 32, d_mlp 512 (ReLU); 700 examples; the last block at the 6 scored positions of 17 (11–16).');
    expect(md).not.toContain('repeated-subsequence');
  });

  it('shows the many-runs rows and each crossover, only when the file has them', () => {
    expect(benchSummaryMarkdown(base)).not.toContain('Many runs at once');
    const stacked = {
      workload: 'modular-addition-p23', model: '1-layer transformer, d_model 32', examples: 264, backend: 'tfjs-wasm, 2 threads, SIMD',
      runEpochs: 10_000, single: { medianS: 0.01 },
      rows: [
        { models: 1, medianS: 0.012, separateS: 0.01, speedup: 0.01 / 0.012, runsPerHour: 30, separateRunsPerHour: 36 },
        { models: 4, medianS: 0.02, separateS: 0.04, speedup: 2, runsPerHour: 72, separateRunsPerHour: 36 },
      ],
      crossover: 4,
    };
    const record = { date: '2026-01-02T05:06:07.000Z', command: 'pnpm bench --many', machine: { loadBefore: 0.1, loadAfter: 0.4 } };
    const md = benchSummaryMarkdown({ ...base, stacked: { ...record, results: [stacked, { ...stacked, workload: 'modular-addition', crossover: null }] } });
    expect(md).toContain('Many runs at once (`pnpm bench --many`, 2026-01-02 05:06 UTC, load average 0.1 to 0.4)');
    expect(md).toContain('runs per hour count runs of 10,000 epochs');
    expect(md).toContain('| `modular-addition-p23` | tfjs-wasm, 2 threads, SIMD | 4 | 0.0200 | 0.0400 | 2.00× | 72.0 | 36.0 |');
    expect(md).toContain('- `modular-addition-p23`, tfjs-wasm, 2 threads, SIMD: 1-layer transformer, d_model 32; 264 examples; the stack is faster from K = 4.');
    expect(md).toContain('- `modular-addition`, tfjs-wasm, 2 threads, SIMD: 1-layer transformer, d_model 32; 264 examples; the stack was not faster at any K measured.');
  });

  it('leaves out the ratio of a preset PyTorch did not run for', () => {
    const alone = { ...workload, rows: [{ ...workload.rows[1]!, vsTorch: undefined, initLossRelDiff: undefined }] };
    expect(benchSummaryMarkdown({ ...base, workloads: [alone] })).toContain('| `digit-addition` | trainer, tfjs-wasm, 2 threads, SIMD | 0.0500 | – | 2.63761 |');
  });
});
