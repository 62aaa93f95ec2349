import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { PACKAGE_ROOT } from './fresh-build';

/**
 * SHA-256 of dist/tf-backend-wasm.node.js in the npm tarball of @tensorflow/tfjs-backend-wasm 4.22.0
 * (`npm pack @tensorflow/tfjs-backend-wasm@4.22.0`): its Node bundle, as npm ships it.
 */
export const PUBLISHED_WASM_BUNDLE_SHA256 = '296e0807192bf27c560eab3fadca612655ef94e7af550f737b03ddb11af3c6ce';

/** The real path of the Node bundle of tfjs-backend-wasm that this package resolves. */
export function installedWasmBundle(): string {
  return realpathSync(require.resolve('@tensorflow/tfjs-backend-wasm', { paths: [PACKAGE_ROOT] }));
}

export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}
