import { packageConfig } from '../../tsup.base';

export default packageConfig({
  entry: { index: 'src/index.ts', bin: 'src/bin.ts' },
  dts: { entry: { index: 'src/index.ts' } },
  shims: true,
  // Node runs dist/bin.js directly; a hashbang line is harmless in the library entry.
  banner: { js: '#!/usr/bin/env node' },
});
