// The build every package shares: ESM and CJS with .d.ts from src/index.ts, for ES2022 (Node 20, current browsers).
import { defineConfig, type Options } from 'tsup';

/** A package's tsup config: the shared settings, with the package's own additions (entries, bundling) on top. */
export function packageConfig(options: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
    ...options,
  });
}
