// What the harness hands PyTorch for a workload, and how it reads the two sides' results.
import { decodeSafetensors, initialValues, transformerParamSpecs } from '@grokking/model';
import { workloadFile } from './workload-file';
import { workloadResult } from './workload-report';
import { describeModel, describePositions, workload } from './workloads';

describe('workload', () => {
  it('reads the presets: the digit-addition run and the 2-layer attention-only model', () => {
    const digits = workload('digit-addition');
    expect(digits.train.size).toBe(700);
    expect(describeModel(digits.config)).toBe('1-layer transformer, d_model 128, 4 heads of 32, d_mlp 512 (ReLU)');
    expect(describePositions(digits.info)).toBe('the last block at the 6 scored positions of 17 (11–16)');
    const repeats = workload('repeated-subsequence');
    expect(repeats.train.size).toBe(512);
    expect(describeModel(repeats.config)).toBe('2-layer attention-only transformer, d_model 128, 4 heads of 32');
    expect(describePositions(repeats.info)).toBe('all 15 positions; the loss reads 3 per example, which vary');
  });

  it('reads a variant: the preset with its change merged in, d_head and d_mlp derived again', () => {
    const small = workload('modular-addition-p23');
    expect(small.spec.task).toMatchObject({ name: 'modular-addition', p: 23, trainFraction: 0.5 });
    expect(small.spec.trainer).toMatchObject({ lr: 0.01, weightDecay: 1 });
    expect(small.train.size).toBe(Math.floor(0.5 * 23 * 23)); // 264 of the 529 pairs
    expect(describeModel(small.config)).toBe('1-layer transformer, d_model 32, 4 heads of 8, d_mlp 64 (ReLU)');
  });

  it('reads an infinite-data preset as one batch of its size from the task\'s sampler, the same every time', () => {
    const max = workload('max-element');
    expect(max.train.size).toBe(128);
    expect(describeModel(max.config)).toBe('1-layer attention-only transformer, d_model 128, 4 heads of 32');
    expect(Array.from(workload('max-element').train.tokens)).toEqual(Array.from(max.train.tokens));
    expect(workload('digit-addition-infinite').train.size).toBe(256);
  });
});

describe('workloadFile', () => {
  it('holds the initial weights, the train set and the settings', () => {
    const w = workload('digit-addition');
    const { tensors, metadata } = decodeSafetensors(workloadFile(w));
    const initial = initialValues(transformerParamSpecs(w.config), w.config.seed);
    expect(tensors['blocks.0.mlp.W_in']!.shape).toEqual([128, 512]);
    expect(Array.from(tensors['embed.W_E']!.data as Float32Array)).toEqual(Array.from(initial['embed.W_E']!));
    expect(tensors['data.tokens']!.shape).toEqual([700, 17]);
    expect(Array.from(tensors['data.targets']!.data as Int32Array)).toEqual(Array.from(w.train.targets));
    expect(JSON.parse(metadata.fixed_positions!)).toEqual([11, 12, 13, 14, 15, 16]);
    expect(JSON.parse(metadata.optimizer!)).toEqual({ lr: 1e-3, weight_decay: 1, betas: [0.9, 0.98], eps: 1e-8, warmup_steps: 10 });
    expect(JSON.parse(metadata.config!)).toMatchObject({ n_layers: 1, d_model: 128, attn_only: false, n_ctx: 17, d_vocab: 12, d_vocab_out: 10 });
  });

  it('marks varying scored positions as null', () => {
    const { tensors, metadata } = decodeSafetensors(workloadFile(workload('repeated-subsequence')));
    expect(JSON.parse(metadata.fixed_positions!)).toBeNull();
    expect(tensors['data.positions']!.shape).toEqual([512, 3]);
    expect(tensors['blocks.1.attn.W_Q']!.shape).toEqual([4, 128, 32]);
  });

  it('refuses a run whose loss the PyTorch reference does not compute', () => {
    expect(() => workloadFile(workload('slingshot'))).toThrow(/precise form/);
  });
});

describe('workloadResult', () => {
  const row = { backend: 'b', timesS: [1], lastLoss: 2, peakRssMb: 1 };
  const about = { name: 'digit-addition' as const, model: 'm', examples: 700, positions: 'p' };

  it('divides each time by PyTorch\'s and compares the losses at init', () => {
    const result = workloadResult(about, [
      { ...row, implementation: 'PyTorch reference', medianS: 0.02, firstLoss: 2.5, reference: true },
      { ...row, implementation: 'trainer', medianS: 0.05, firstLoss: 2.5005 },
    ]);
    expect(result.rows[1]!.vsTorch).toBeCloseTo(2.5, 12);
    expect(result.rows[1]!.initLossRelDiff).toBeCloseTo(2e-4, 12);
    expect(result.rows[1]!.stepsPerS).toBeCloseTo(20, 12);
  });

  it('gives no ratio without a PyTorch row', () => {
    const result = workloadResult(about, [{ ...row, implementation: 'trainer', medianS: 0.05, firstLoss: 2.5 }]);
    expect(result.rows[0]!.vsTorch).toBeUndefined();
    expect(result.rows[0]!.initLossRelDiff).toBeUndefined();
  });
});
