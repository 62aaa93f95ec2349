import { availableParallelism } from 'node:os';
import { assertFreshBuild } from './test-support/fresh-build';
import { installedWasmBundle, PUBLISHED_WASM_BUNDLE_SHA256, sha256 } from './test-support/published-wasm';
import { expectPublishedThreadsRun, runThreadsCheck } from './test-support/threads-check';

// tfjs-backend-wasm 4.22.0 exactly as npm ships it, which is what this workspace installs: the threads come from
// node-wasm-threads.ts alone. Plain Node child processes running the built package, so that no jest module registry is
// involved and the process must exit by itself. npm-install.test.ts does the same from the packed tarballs and the
// registry.
describe('the wasm backend as npm ships it, in plain Node', () => {
  beforeAll(() => {
    assertFreshBuild();
  });

  it('is the published tfjs-backend-wasm 4.22.0 bundle, byte for byte', () => {
    expect(sha256(installedWasmBundle())).toBe(PUBLISHED_WASM_BUNDLE_SHA256);
  });

  it('needs 2 logical cores to see 2 threads', () => {
    expect(availableParallelism()).toBeGreaterThanOrEqual(2);
  });

  it.each([2, 1])('runs %i thread(s), multiplies like cpu, leaks no tensor and exits by itself', (threads) => {
    expectPublishedThreadsRun(runThreadsCheck(threads), threads);
  }, 90_000);

  // Its pthread workers run tfjs' CommonJS worker script as eval'd code, which the parent's --input-type would
  // otherwise make an ES module.
  it('runs 2 threads in a process started with --input-type=module, its code given with -e', () => {
    expectPublishedThreadsRun(runThreadsCheck(2, { evalModule: true }), 2);
  }, 90_000);
});
