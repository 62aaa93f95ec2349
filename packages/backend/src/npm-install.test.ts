import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertFreshBuild, PACKAGE_ROOT } from './test-support/fresh-build';
import { npm, registryUnreachable } from './test-support/npm-env';
import { expectPublishedThreadsRun, runThreadsCheck } from './test-support/threads-check';

// What an npm user gets: this package packed with pnpm, installed with plain npm into an empty directory beside the
// tfjs packages it names, at the versions its package.json pins, from the registry.
// About a minute (the download); skipped, saying so, only when npm cannot reach its registry.
const offline = registryUnreachable(tmpdir());
const describeOnline = offline === undefined ? describe : describe.skip;
if (offline !== undefined) {
  console.warn(`npm-install.test.ts skipped: the npm registry is unreachable (${offline})`);
}

/** The tfjs packages the check needs, at the versions @grokking/backend's devDependencies pin. */
const TFJS = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu'];

describeOnline(`@grokking/backend installed from its tarball with npm${offline ? ` (skipped: ${offline})` : ''}`, () => {
  let work: string;
  let app: string;

  beforeAll(() => {
    assertFreshBuild();
    work = mkdtempSync(join(tmpdir(), 'grokking-npm-'));
    const packs = join(work, 'packs');
    app = join(work, 'app');
    const pack = spawnSync('pnpm', ['pack', '--pack-destination', packs], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
    if (pack.status !== 0) throw new Error(`pnpm pack failed: ${pack.error?.message ?? pack.stderr}`);
    const [tarball] = readdirSync(packs).filter((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`pnpm pack wrote no tarball into ${packs}`);
    const tarballPath = join(packs, tarball);
    const manifest = spawnSync('tar', ['-xzOf', tarballPath, 'package/package.json'], { encoding: 'utf8' });
    if (manifest.status !== 0) throw new Error(`cannot read package.json from ${tarballPath}: ${manifest.stderr}`);
    const pinned = (JSON.parse(manifest.stdout) as { devDependencies: Record<string, string> }).devDependencies;
    const specs = TFJS.map((name) => {
      if (!pinned[name]) throw new Error(`the packed package.json pins no ${name} in devDependencies`);
      return `${name}@${pinned[name]}`;
    });
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'npm-install-check', private: true }));
    const install = npm(['install', '--no-audit', '--no-fund', tarballPath, ...specs], app, 240_000);
    if (install.status !== 0) throw new Error(`npm install failed: ${install.error?.message ?? install.stderr}`);
  }, 300_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('needs 2 logical cores to see 2 threads', () => {
    expect(availableParallelism()).toBeGreaterThanOrEqual(2);
  });

  it("readyBackend('wasm') runs 2 threads on the published tfjs-backend-wasm, multiplies like cpu and exits", () => {
    expectPublishedThreadsRun(runThreadsCheck(2, { root: app }), 2);
  }, 90_000);
});
