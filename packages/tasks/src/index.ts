export { createRng, rngFromState, type Rng, type RngState } from './random';
export type { Dataset, TaskInfo } from './types';
export type { Split, SplitOptions, Task } from './task';
export { datasetMask, scoredMask, selectExamples } from './dataset';
export {
  modularArithmetic,
  trainSizeFor,
  type ModularOptions,
  type ModularSplit,
  type ModularTask,
} from './modular';
export { modularOperationNames, type ModularOperation } from './modular-operations';
export { digitAddition, type DigitAdditionOptions } from './digit-addition';
export { repeatedSubsequence, type RepeatedSubsequenceOptions } from './repeated-subsequence';
export { maxElement, type MaxElementOptions } from './max-element';
export {
  isModularTask,
  taskFromName,
  taskNames,
  isTaskName,
  isModularTaskName,
  type ModularTaskName,
  type SampledTaskName,
  type TaskName,
  type TaskOptions,
} from './registry';
