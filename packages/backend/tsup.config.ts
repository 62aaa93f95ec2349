import { packageConfig } from '../../tsup.base';

export default packageConfig({
  entry: ['src/index.ts', 'src/conformance.ts'],
  // tfjs-core's gradient module is ESM with extensionless imports, which plain Node cannot load: bundle it.
  // Its registries and engine live on the global object, so the bundled copy registers into the one tfjs-core.
  noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
  // The CJS build loads backends with require(): native import() inside CommonJS fails under jest's module runtime.
  esbuildOptions(options, context) {
    if (context.format === 'cjs') {
      options.supported = { ...options.supported, 'dynamic-import': false };
      // node-require.ts takes __filename there; import.meta.url is only its ESM fallback.
      options.define = { ...options.define, 'import.meta.url': 'undefined' };
    }
  },
});
