import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from './fresh-build';

/**
 * SHA-256 of dist/tf-backend-wasm.node.js in the npm tarball of @tensorflow/tfjs-backend-wasm 4.22.0
 * (`npm pack @tensorflow/tfjs-backend-wasm@4.22.0`): the file this workspace's patch edits, as npm ships it.
 */
export const PUBLISHED_WASM_BUNDLE_SHA256 = '296e0807192bf27c560eab3fadca612655ef94e7af550f737b03ddb11af3c6ce';

const PATCH = join(PACKAGE_ROOT, '..', '..', 'patches', '@tensorflow__tfjs-backend-wasm@4.22.0.patch');

/** The real directory of a package as this package resolves it. */
export function installedPackageDir(name: string): string {
  return realpathSync(dirname(require.resolve(`${name}/package.json`, { paths: [PACKAGE_ROOT] })));
}

export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * Lays out in `root` what an npm user has, without the network: node_modules/ with @grokking/backend (this package's
 * package.json and built dist/), tfjs-backend-wasm 4.22.0 as published (this workspace's patched copy with the patch
 * taken back out, checked byte for byte against the published bundle), and links to the workspace's tfjs-core and
 * tfjs-backend-cpu, which the patch does not touch.
 */
export function layOutUnpatchedInstall(root: string): void {
  const scope = join(root, 'node_modules', '@tensorflow');
  mkdirSync(scope, { recursive: true });
  const wasmDir = join(scope, 'tfjs-backend-wasm');
  cpSync(installedPackageDir('@tensorflow/tfjs-backend-wasm'), wasmDir, { recursive: true });
  // GIT_CEILING_DIRECTORIES: treat the copy as a plain directory even if the temp dir sits inside a repository.
  const git = spawnSync('git', ['apply', '-R', '-p1', PATCH], {
    cwd: wasmDir,
    env: { ...process.env, GIT_CEILING_DIRECTORIES: scope },
    encoding: 'utf8',
  });
  if (git.status !== 0) throw new Error(`git apply -R ${PATCH} failed: ${git.error?.message ?? git.stderr}`);
  const bundle = join(wasmDir, 'dist', 'tf-backend-wasm.node.js');
  const got = sha256(bundle);
  if (got !== PUBLISHED_WASM_BUNDLE_SHA256) {
    throw new Error(`${bundle} is not the published 4.22.0 bundle after taking the patch out (sha256 ${got})`);
  }
  for (const name of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu']) {
    symlinkSync(installedPackageDir(name), join(root, 'node_modules', name), 'dir');
  }
  const backend = join(root, 'node_modules', '@grokking', 'backend');
  mkdirSync(backend, { recursive: true });
  cpSync(join(PACKAGE_ROOT, 'package.json'), join(backend, 'package.json'));
  cpSync(join(PACKAGE_ROOT, 'dist'), join(backend, 'dist'), { recursive: true });
}
