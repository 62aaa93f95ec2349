// Sweep specs: checked flag names and grids, the points' order and stable ids, their `grok train` arguments, and
// planning each point through grok train's own flag parser and planRun.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSweepSpec, pointArgs, readSweepSpecFile, specHash, sweepPoints } from './spec';
import { jobId, planPoints } from './plan';

const base = { preset: 'modular-addition', settings: { p: 13, 'd-model': 16 } };

describe('buildSweepSpec', () => {
  it('builds the dimensions in the order given, seeds last', () => {
    const spec = buildSweepSpec({ ...base, grid: ['weight-decay=0.1,1', 'train-fraction=0.3:0.5:0.1'], seeds: '0-1' });
    expect(spec.dims).toEqual([
      { flag: 'weight-decay', values: [0.1, 1] }, { flag: 'train-fraction', values: [0.3, 0.4, 0.5] }, { flag: 'seed', values: [0, 1] },
    ]);
  });

  it('fails before any work on an unknown flag, an empty grid, or a flag both fixed and swept', () => {
    expect(() => buildSweepSpec({ grid: ['wieght-decay=1,2'] })).toThrow(/unknown flag --wieght-decay in --grid; expected one of grok train's flags: --task, --p/);
    expect(() => buildSweepSpec({ settings: { out: 'x' }, grid: ['p=7'] })).toThrow(/unknown flag --out in the fixed settings/);
    expect(() => buildSweepSpec({ grid: ['weight-decay='] })).toThrow(/weight-decay: the grid is empty/);
    expect(() => buildSweepSpec({ grid: [] })).toThrow(/the grid is empty: nothing to sweep/);
    expect(() => buildSweepSpec({ grid: ['weight-decay'] })).toThrow(/--grid takes FLAG=VALUES .* got "weight-decay"/);
    expect(() => buildSweepSpec({ settings: { lr: 0.01 }, grid: ['lr=0.1'] })).toThrow(/--lr is both fixed \(0.01\) and swept/);
    expect(() => buildSweepSpec({ grid: ['lr=0.1', 'lr=0.2'] })).toThrow(/--grid lr is given twice/);
    expect(() => buildSweepSpec({ grid: ['seed=1'], seeds: '0-1' })).toThrow(/either as --seeds or as --grid seed/);
  });
});

describe('sweep points', () => {
  const spec = buildSweepSpec({ ...base, grid: ['weight-decay=0.1,1'], seeds: '0-1' });

  it('are the cartesian product, seeds innermost, with ids naming their values', () => {
    expect(sweepPoints(spec)).toEqual([
      { id: 'weight-decay=0.1_seed=0', settings: { 'weight-decay': 0.1, seed: 0 } },
      { id: 'weight-decay=0.1_seed=1', settings: { 'weight-decay': 0.1, seed: 1 } },
      { id: 'weight-decay=1_seed=0', settings: { 'weight-decay': 1, seed: 0 } },
      { id: 'weight-decay=1_seed=1', settings: { 'weight-decay': 1, seed: 1 } },
    ]);
  });

  it('become grok train arguments: the preset, the fixed settings, the point', () => {
    expect(pointArgs(spec, sweepPoints(spec)[1]!)).toEqual(['--preset', 'modular-addition', '--p', '13', '--d-model', '16', '--weight-decay', '0.1', '--seed', '1']);
    const flags = buildSweepSpec({ settings: { 'attn-only': true, infinite: false }, grid: ['stop-when-grokked=true'] });
    expect(pointArgs(flags, sweepPoints(flags)[0]!)).toEqual(['--attn-only', '--stop-when-grokked']);
  });

  it('hash the same for the same spec whatever the order of the fixed settings, differently otherwise', () => {
    const reordered = buildSweepSpec({ preset: 'modular-addition', settings: { 'd-model': 16, p: 13 }, grid: ['weight-decay=0.1,1'], seeds: '0-1' });
    expect(specHash(reordered)).toBe(specHash(spec));
    expect(specHash(buildSweepSpec({ ...base, grid: ['weight-decay=0.1,1'], seeds: '0-2' }))).not.toBe(specHash(spec));
  });
});

describe('a spec file', () => {
  it('gives the same spec as the flags', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'grok-spec-')), 'sweep.json');
    writeFileSync(path, JSON.stringify({ ...base, grid: { 'weight-decay': [0.1, 1] }, seeds: '0-1' }));
    expect(buildSweepSpec(readSweepSpecFile(path))).toEqual(buildSweepSpec({ ...base, grid: ['weight-decay=0.1,1'], seeds: '0-1' }));
    writeFileSync(path, JSON.stringify({ grids: {} }));
    expect(() => readSweepSpecFile(path)).toThrow(/invalid sweep spec .*sweep.json/);
  });
});

describe('planPoints', () => {
  it('plans each point as grok train would, keeping its refusal as the point\'s error', () => {
    const spec = buildSweepSpec({ ...base, grid: ['n-heads=2,3'] });
    const [ok, bad] = planPoints(spec, sweepPoints(spec), '/tmp/sweep', false);
    expect(ok!.planError).toBeNull();
    expect(ok!.job).toEqual({ id: 'n-heads=2', dir: '/tmp/sweep/points/n-heads=2', args: ['--preset', 'modular-addition', '--p', '13', '--d-model', '16', '--n-heads', '2'], analyze: false });
    // 16 is not divisible into 3 heads: the model package's message, before anything runs.
    expect(bad!.planError).toMatch(/dModel|divisible|nHeads/);
    const typo = buildSweepSpec({ ...base, grid: ['lr=abc'] });
    expect(planPoints(typo, sweepPoints(typo), '/tmp/sweep', false)[0]!.planError).toMatch(/--lr must be a number, got "abc"/);
  });

  it('gives each point a job id that depends on its directory and arguments only', () => {
    const spec = buildSweepSpec({ ...base, seeds: '0-1' });
    const [a, b] = planPoints(spec, sweepPoints(spec), '/tmp/sweep', false);
    const again = planPoints(spec, sweepPoints(spec), '/tmp/sweep', false);
    expect(jobId(a!.job)).toBe(jobId(again[0]!.job));
    expect(jobId(a!.job)).not.toBe(jobId(b!.job));
    expect(jobId(a!.job)).toMatch(/^grok-[0-9a-f]{24}$/);
    expect(jobId(planPoints(spec, sweepPoints(spec), '/tmp/other', false)[0]!.job)).not.toBe(jobId(a!.job));
  });
});
