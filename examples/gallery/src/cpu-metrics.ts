// Metrics on a CPU copy of the model. The analysis packages read small results back synchronously (dataSync), which
// tfjs' WebGPU backend does through a canvas; in a worker that broke the WebGPU device ("A valid external Instance
// reference no longer exists"). On WebGPU the gallery therefore reads the weights back asynchronously, measures a
// copy on the CPU backend, and switches back before training goes on.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createTransformer, loadStateDict, stateDictAsync, type HookedTransformer, type TransformerConfig } from '@grokking/model';
import type { Metric, MetricContext } from '@grokking/trainer';

/** Wraps metrics so that, when the active backend is webgpu, they run on a CPU copy of the model's weights. */
export function onCpuWhenWebGpu(metrics: Record<string, Metric>): Record<string, Metric> {
  let cached: { epoch: number; step: number; values: Promise<Record<string, unknown>> } | null = null;
  const measureAll = async (context: MetricContext): Promise<Record<string, unknown>> => {
    const weights = await stateDictAsync(context.model as HookedTransformer);
    await readyBackend('cpu');
    const copy = createTransformer(context.model.config as TransformerConfig);
    try {
      loadStateDict(copy, weights);
      const values: Record<string, unknown> = {};
      for (const [name, metric] of Object.entries(metrics)) values[name] = await metric({ ...context, model: copy });
      return values;
    } finally {
      copy.dispose();
      await readyBackend('webgpu');
    }
  };
  return Object.fromEntries(Object.keys(metrics).map((name): [string, Metric] => [name, async (context) => {
    if (tf.getBackend() !== 'webgpu') return metrics[name]!(context);
    // All metrics of one evaluation share one copy: the first asks, the others wait for it.
    if (!cached || cached.epoch !== context.epoch || cached.step !== context.step) {
      cached = { epoch: context.epoch, step: context.step, values: measureAll(context) };
    }
    return (await cached.values)[name] as Awaited<ReturnType<Metric>>;
  }]));
}
