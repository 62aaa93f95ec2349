import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertFreshBuild } from './test-support/fresh-build';
import { layOutUnpatchedInstall, PUBLISHED_WASM_BUNDLE_SHA256 } from './test-support/published-wasm';
import { expectPublishedThreadsRun, runThreadsCheck } from './test-support/threads-check';

// tfjs-backend-wasm 4.22.0 exactly as npm ships it, without this workspace's patch: the threads come from
// node-wasm-threads.ts alone. Plain Node child processes, so that no jest module registry is involved and the process
// must exit by itself. npm-install.test.ts does the same from the packed tarballs and the registry.
describe('the wasm backend as npm ships it, in plain Node', () => {
  let root: string;

  beforeAll(() => {
    assertFreshBuild();
    root = mkdtempSync(join(tmpdir(), 'grokking-unpatched-'));
    layOutUnpatchedInstall(root);
  });

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('needs 2 logical cores to see 2 threads', () => {
    expect(availableParallelism()).toBeGreaterThanOrEqual(2);
  });

  it.each([2, 1])('runs %i thread(s), multiplies like cpu, leaks no tensor and exits by itself', (threads) => {
    const out = expectPublishedThreadsRun(runThreadsCheck(root, threads), threads, PUBLISHED_WASM_BUNDLE_SHA256);
    expect(out.multithreadFlag).toBe(threads > 1);
  }, 90_000);
});
