import { defineConfig } from 'tsup';

// Node entry points: the harness, and its child processes (one tfjs backend, one workload, K stacked models, the analysis, the grok
// run, the browser's wasm), each with fresh memory.
export default defineConfig({
  entry: ['src/run.ts', 'src/tfjs-child.ts', 'src/workload-child.ts', 'src/stacked-child.ts', 'src/analysis-child.ts', 'src/grok-child.ts', 'src/browser-child.ts'],
  format: ['esm'],
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'node',
});
