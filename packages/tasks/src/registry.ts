// Tasks by name, for command lines and saved run configs.
import { digitAddition, type DigitAdditionOptions } from './digit-addition';
import { maxElement, type MaxElementOptions } from './max-element';
import { modularArithmetic, type ModularTask } from './modular';
import type { ModularOperation } from './modular-operations';
import { repeatedSubsequence, type RepeatedSubsequenceOptions } from './repeated-subsequence';
import type { Task } from './task';
import { checkKeys } from './validate';

/** The modular task names and their operations. */
const modularNames = {
  'modular-addition': 'add',
  'modular-subtraction': 'subtract',
  'modular-multiplication': 'multiply',
  'modular-division': 'divide',
  'modular-x2+y2': 'x2+y2',
  'modular-x2+xy+y2': 'x2+xy+y2',
} as const satisfies Record<string, ModularOperation>;

/** A modular task's name. */
export type ModularTaskName = keyof typeof modularNames;

/** The sampled tasks by name: adding a task is one entry here (or in `modularNames`); every table keyed by
 * {@link TaskName} elsewhere (run presets, analyses) then fails to compile until it has the new task too. */
const sampledTasks = {
  'digit-addition': (options: TaskOptions): Task => digitAddition(options as DigitAdditionOptions),
  'repeated-subsequence': (options: TaskOptions): Task => repeatedSubsequence(options as RepeatedSubsequenceOptions),
  'max-element': (options: TaskOptions): Task => maxElement(options as MaxElementOptions),
} as const;

/** A sampled task's name. */
export type SampledTaskName = keyof typeof sampledTasks;

/** A task's name. */
export type TaskName = ModularTaskName | SampledTaskName;

/** Every name {@link taskFromName} accepts, modular tasks first. */
export const taskNames: readonly TaskName[] = Object.freeze([
  ...(Object.keys(modularNames) as ModularTaskName[]),
  ...(Object.keys(sampledTasks) as SampledTaskName[]),
]);

/**
 * Whether a string is a task name.
 *
 * @example
 * isTaskName('max-element'); // true
 * isTaskName('max'); // false
 */
export function isTaskName(name: string): name is TaskName {
  return Object.hasOwn(modularNames, name) || Object.hasOwn(sampledTasks, name);
}

/**
 * The options {@link taskFromName} passes on; each task takes its own (modular: `p`; digit-addition: `digits`;
 * repeated-subsequence: `vocabSize`, `length`, `repeatLength`; max-element: `length`, `lowValues`, `topValues`).
 */
export type TaskOptions = Record<string, unknown>;

/**
 * Whether a task name is a modular one (its data is a split of all p² pairs, by `trainFraction`).
 *
 * @example
 * isModularTaskName('modular-division'); // true
 * isModularTaskName('digit-addition'); // false
 */
export function isModularTaskName(name: string): name is ModularTaskName {
  return Object.hasOwn(modularNames, name);
}

/**
 * Whether a task enumerates its universe (modular arithmetic): it then has `all()`, `pairIndex` and a split with
 * `trainIndices` / `testIndices`.
 *
 * @example
 * isModularTask(taskFromName('modular-addition')); // true
 * isModularTask(taskFromName('max-element')); // false
 */
export function isModularTask(task: Task): task is ModularTask {
  return typeof (task as Partial<ModularTask>).all === 'function';
}

/**
 * The task of a given name, built with its options (an option the task does not take is an error).
 *
 * @example
 * const task = taskFromName('modular-division', { p: 97 });
 * task.info.name; // 'modular-division'
 * taskFromName('digit-addition', { digits: 3 }).info.nCtx; // 11
 */
export function taskFromName(name: ModularTaskName, options?: TaskOptions): ModularTask;
export function taskFromName(name: string, options?: TaskOptions): Task;
export function taskFromName(name: string, options: TaskOptions = {}): Task {
  if (Object.hasOwn(modularNames, name)) {
    checkKeys(`${name} options`, options, ['p']);
    return modularArithmetic({ p: options.p as number | undefined, operation: modularNames[name as ModularTaskName] });
  }
  if (Object.hasOwn(sampledTasks, name)) return sampledTasks[name as SampledTaskName](options);
  throw new Error(`task must be one of ${taskNames.join(', ')}, got ${JSON.stringify(name)}`);
}
