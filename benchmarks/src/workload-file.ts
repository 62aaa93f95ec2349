// What the PyTorch side of a workload reads: one safetensors file with the model's initial weights (TransformerLens'
// names, the values createTransformer starts from), the train set and the settings, so both sides train the same
// model from the same point on the same examples, and their losses at the start can be compared.
import { writeFileSync } from 'node:fs';
import { trainOptions } from '@grokking/experiments';
import { encodeSafetensors, initialValues, toTransformerLensConfig, transformerParamSpecs, type SafetensorsTensor } from '@grokking/model';
import type { Workload, WorkloadSource } from './workloads';

/**
 * The file's bytes. Tensors: every parameter by name (F32), `data.tokens` [batch, n_ctx], `data.positions` and
 * `data.targets` [batch, n_scored] (I32). Metadata (JSON strings): `workload`, `config` (TransformerLens' config
 * keys), `optimizer` (lr, weight_decay, betas, eps, warmup_steps) and `fixed_positions` (a list, or null when the
 * scored positions vary).
 *
 * @throws when the run's optimiser is not AdamW or its loss not the precise form: the PyTorch reference has only those
 *   (F.cross_entropy is the precise, log-sum-exp form).
 * @example
 * writeFileSync('digit-addition.safetensors', workloadFile(workload('digit-addition')));
 */
export function workloadFile(w: Workload<WorkloadSource>): Uint8Array {
  const { optimizer, loss } = trainOptions(w.spec);
  if (optimizer.name !== 'adamw') throw new Error(`workload ${w.name}: the PyTorch reference runs AdamW, the preset ${optimizer.name}`);
  if (loss !== 'precise') throw new Error(`workload ${w.name}: the PyTorch reference's loss is the precise form, the preset's ${loss}`);
  const specs = transformerParamSpecs(w.config);
  const values = initialValues(specs, w.config.seed); // what createTransformer(config) starts from
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const s of specs) tensors[s.name] = { dtype: 'F32', shape: s.shape, data: values[s.name]! };
  const { size, tokens, positions, targets } = w.train;
  const { nCtx, nScored } = w.info;
  tensors['data.tokens'] = { dtype: 'I32', shape: [size, nCtx], data: tokens };
  tensors['data.positions'] = { dtype: 'I32', shape: [size, nScored], data: positions };
  tensors['data.targets'] = { dtype: 'I32', shape: [size, nScored], data: targets };
  return encodeSafetensors(tensors, {
    workload: w.name,
    config: JSON.stringify(toTransformerLensConfig(w.config)),
    optimizer: JSON.stringify({
      lr: optimizer.lr, weight_decay: optimizer.weightDecay, betas: optimizer.betas, eps: optimizer.eps, warmup_steps: optimizer.warmupSteps,
    }),
    fixed_positions: JSON.stringify(w.info.fixedPositions),
  });
}

/** Writes {@link workloadFile} to `path`. @example writeWorkloadFile(workload('digit-addition'), '/tmp/w.safetensors'); */
export function writeWorkloadFile(w: Workload<WorkloadSource>, path: string): void {
  writeFileSync(path, workloadFile(w));
}
