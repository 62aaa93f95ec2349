// @grokking/experiments: a run's recipe (task + model + trainer + seed), the write-up's experiments as presets, and
// building a run's task, data and model from a recipe.
export {
  RunSpec,
  TaskSection,
  ModelSection,
  TrainerSection,
  resolveRunSpec,
  mergeRunSpec,
  parseOrExplain,
  checkData,
  type RunSpecInput,
  type DeepPartial,
} from './spec';
export { PRESETS, TASK_PRESETS, presetNames, presetByName, presetSpec, taskSpec, type Preset, type PresetName } from './presets';
export { TEST_SEED_OFFSET, buildTask, buildData, buildModel, buildRun, type RunData, type BuiltRun } from './build';
export { trainOptions, type SpecTrainOptions } from './train-options';
