import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { findThreadedWasmFiles, VERIFIED_WASM_VERSIONS } from './wasm-out-files';

const require = createRequire(__filename);

describe('findThreadedWasmFiles', () => {
  it('finds the worker script and the threaded factory of the installed 4.22.0', () => {
    const files = findThreadedWasmFiles(require, '4.22.0');
    if (typeof files === 'string') throw new Error(files);
    expect(files.factoryPath).toMatch(/wasm-out[/\\]tfjs-backend-wasm-threaded-simd\.js$/);
    expect(existsSync(files.factoryPath)).toBe(true);
    expect(readFileSync(files.factoryPath, 'utf8')).toContain('var WasmBackendModuleThreadedSimd');
    // Parses as a script: its newlines are escapes again.
    expect(files.workerScript).not.toContain('\n');
    expect(() => new Function(files.workerScript)).not.toThrow();
  });

  it.each([['4.21.0'], [undefined], [42]])('refuses a version not checked (%p), naming it', (version) => {
    expect(findThreadedWasmFiles(require, version)).toBe(
      `tfjs-backend-wasm ${JSON.stringify(version)} is not a version checked for Node threads (${VERIFIED_WASM_VERSIONS.join(', ')})`,
    );
  });

  it('refuses when the installed package is not the version that was loaded', () => {
    const other = Object.assign((id: string) => (id.endsWith('package.json') ? { version: '4.23.0' } : require(id)), {
      resolve: require.resolve,
    }) as unknown as NodeJS.Require;
    expect(findThreadedWasmFiles(other, '4.22.0')).toBe(
      'the tfjs-backend-wasm beside @grokking/backend is "4.23.0", but 4.22.0 was loaded',
    );
  });

  it('says why when the files cannot be read', () => {
    const missing = Object.assign(
      (id: string) => {
        throw new Error(`Cannot find module '${id}'`);
      },
      { resolve: require.resolve },
    ) as unknown as NodeJS.Require;
    expect(findThreadedWasmFiles(missing, '4.22.0')).toBe(
      "tfjs-backend-wasm's threaded files could not be read: Cannot find module '@tensorflow/tfjs-backend-wasm/package.json'",
    );
  });
});
