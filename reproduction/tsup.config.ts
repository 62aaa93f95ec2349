import { defineConfig } from 'tsup';

// Node entry points: `pnpm reproduce` (bin) and the functions its tests use (index).
export default defineConfig({
  entry: ['src/bin.ts', 'src/index.ts'],
  format: ['esm'],
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'node',
});
