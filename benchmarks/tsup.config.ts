import { defineConfig } from 'tsup';

// Two Node entry points: the harness, and the child process that times one tfjs backend (fresh memory for each).
export default defineConfig({
  entry: ['src/run.ts', 'src/tfjs-child.ts', 'src/analysis-child.ts'],
  format: ['esm'],
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'node',
});
