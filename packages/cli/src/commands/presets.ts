// `grok presets`: the write-up's experiments, one line each, or (--markdown) the table the docs show.
import { PRESETS, presetNames, presetSpec, type PresetName } from '@grokking/experiments';

/** The preset table as text. */
export function presetsText(): string {
  const width = Math.max(...presetNames.map((name) => name.length));
  return presetNames.map((name) => `${name.padEnd(width)}  ${PRESETS[name].summary}`).join('\n');
}

/** One preset's resolved recipe in a few words per column: task and data, model, trainer. */
function describe(name: PresetName): [string, string, string] {
  const { task, model, trainer } = presetSpec(name);
  const sizes = task.p !== undefined ? `p ${task.p}` : task.digits !== undefined ? `${task.digits} digits` : '';
  const data = task.infinite ? `infinite, batch ${task.batchSize}` : task.trainFraction !== undefined
    ? `${Math.round(100 * task.trainFraction)}% of pairs` : `${task.trainSize ?? 'default'} examples`;
  const m = model.kind === 'mlp' ? `MLP, width ${model.dHidden}, ${model.actFn}`
    : `${model.nLayers}L${model.attnOnly ? ' attn-only' : ''}, d_model ${model.dModel}, ${model.nHeads} heads of ${model.dHead}${model.attnOnly ? '' : `, d_mlp ${model.dMlp}`}`;
  const t = `${trainer.optimizer} lr ${trainer.lr} wd ${trainer.weightDecay}, ${trainer.epochs.toLocaleString('en-US')} ${task.infinite ? 'steps' : 'epochs'}, ${trainer.loss} loss`;
  return [`${task.name}${sizes ? ` (${sizes})` : ''}, ${data}`, m, t];
}

/**
 * The preset table in Markdown, generated from @grokking/experiments' PRESETS (docs/guide/experiments.md holds it).
 *
 * @example
 * presetsMarkdown().split('\n')[0]; // '| preset | task and data | model | trainer | what it shows |'
 */
export function presetsMarkdown(): string {
  const rows = presetNames.map((name) => `| \`${name}\` | ${describe(name).join(' | ')} | ${PRESETS[name].summary} |`);
  return ['| preset | task and data | model | trainer | what it shows |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
