export { createRng, rngFromState, type Rng, type RngState } from './random';
export type { Dataset, TaskInfo } from './types';
