import { defineConfig } from 'tsup';

export default defineConfig({
  // index: the browser-safe core; node: what needs Node's file system (the atomic file checkpoint store).
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
