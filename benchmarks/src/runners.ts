import { naiveTfjsRunner, type EpochRunner, type RunnerSetup } from './tfjs-epoch';

/**
 * The tfjs training epochs the benchmark can time, by name.
 * TODO(model/trainer): when @grokking/model and @grokking/trainer export a model and a training step, add a
 * `trainer` entry here that builds the write-up's model with them and runs one full-batch AdamW step per epoch(),
 * and make it the default in run.ts; keep `naive-tfjs` as the baseline.
 */
export const RUNNERS: Record<string, (setup: RunnerSetup) => Promise<EpochRunner>> = {
  'naive-tfjs': naiveTfjsRunner,
};
