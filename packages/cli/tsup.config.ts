import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', bin: 'src/bin.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  shims: true,
  // Node runs dist/bin.js directly; a hashbang line is harmless in the library entry.
  banner: { js: '#!/usr/bin/env node' },
});
