// A sweep's specification: a starting preset, fixed `grok train` settings, and the swept flags with their values
// (seeds are one more swept flag, `seed`). From `grok sweep` flags or a JSON file; every flag name is checked against
// `grok train`'s (TRAIN_FLAGS) before any work starts. Its points are the grid's cartesian product.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseOrExplain } from '@grokking/experiments';
import { TRAIN_FLAGS } from '../flags';
import { parseSeeds, parseValues, type Scalar } from './values';

const ScalarSchema = z.union([z.number(), z.string(), z.boolean()]);

/**
 * A sweep spec file (JSON). Grid values are a list or a string in the `--grid` syntax; seeds a list or `"0-4"`.
 *
 * @example
 * { "preset": "modular-addition", "settings": { "p": 23, "epochs": 500 },
 *   "grid": { "weight-decay": [0.1, 0.3, 1], "train-fraction": "0.2:0.9:0.1" }, "seeds": "0-4" }
 */
export const SweepSpecFile = z.object({
  preset: z.string().optional(),
  settings: z.record(z.string(), ScalarSchema).default({}),
  grid: z.record(z.string(), z.union([z.array(ScalarSchema), z.string()])).default({}),
  seeds: z.union([z.array(z.number().int().nonnegative()), z.string()]).optional(),
}).strict();

/** One swept flag and its values, in the order given. */
export interface Dimension {
  flag: string;
  values: Scalar[];
}

/** A checked sweep spec: the preset, the fixed settings and the swept dimensions (seed last when swept). */
export interface SweepSpec {
  preset?: string;
  settings: Record<string, Scalar>;
  dims: Dimension[];
}

/** One point of a sweep: its stable id (also its run directory's name) and the swept flags' values. */
export interface SweepPoint {
  id: string;
  settings: Record<string, Scalar>;
}

const FLAG_NAMES = new Set(TRAIN_FLAGS.map((f) => f.flag));

function checkFlag(flag: string, where: string): void {
  if (!FLAG_NAMES.has(flag)) {
    throw new Error(`unknown flag --${flag} in ${where}; expected one of grok train's flags: ${[...FLAG_NAMES].map((f) => `--${f}`).join(', ')}`);
  }
}

/** The pieces of a sweep as given, before checking. */
export interface SweepSpecParts {
  preset?: string;
  /** Fixed `grok train` settings, by flag name. */
  settings?: Record<string, Scalar>;
  /** `--grid` arguments, `FLAG=VALUES` each, or already split. */
  grid?: (string | Dimension)[];
  /** `--seeds` (`0-4`) or a list. */
  seeds?: string | number[];
}

/**
 * Checks a sweep's pieces and builds its spec: every flag a `grok train` flag, no flag both fixed and swept or swept
 * twice, every dimension non-empty, and at least one dimension.
 *
 * @example
 * buildSweepSpec({ preset: 'modular-addition', settings: { p: 23 }, grid: ['weight-decay=0.1,1'], seeds: '0-1' }).dims;
 * // [{ flag: 'weight-decay', values: [0.1, 1] }, { flag: 'seed', values: [0, 1] }]
 * @throws naming the unknown flag, the empty grid or the conflict.
 */
export function buildSweepSpec(parts: SweepSpecParts): SweepSpec {
  const settings = { ...(parts.settings ?? {}) };
  for (const flag of Object.keys(settings)) checkFlag(flag, 'the fixed settings');
  const dims: Dimension[] = [];
  for (const g of parts.grid ?? []) {
    let dim: Dimension;
    if (typeof g === 'string') {
      const eq = g.indexOf('=');
      if (eq <= 0) throw new Error(`--grid takes FLAG=VALUES (e.g. weight-decay=0.1,0.3,1), got ${JSON.stringify(g)}`);
      const flag = g.slice(0, eq).replace(/^--/, '');
      checkFlag(flag, '--grid');
      dim = { flag, values: parseValues(g.slice(eq + 1), flag) };
    } else {
      checkFlag(g.flag, 'the grid');
      if (g.values.length === 0) throw new Error(`${g.flag}: the grid is empty; give at least one value`);
      dim = g;
    }
    if (dims.some((d) => d.flag === dim.flag)) throw new Error(`--grid ${dim.flag} is given twice; give one list of values`);
    dims.push({ flag: dim.flag, values: [...new Set(dim.values)] });
  }
  if (parts.seeds !== undefined) {
    if (dims.some((d) => d.flag === 'seed')) throw new Error('give the seeds either as --seeds or as --grid seed=..., not both');
    const seeds = typeof parts.seeds === 'string' ? parseSeeds(parts.seeds) : parts.seeds;
    if (seeds.length === 0) throw new Error('--seeds: the list is empty; give seeds like 0-4 or 0,1,2');
    dims.push({ flag: 'seed', values: seeds });
  }
  for (const d of dims) {
    if (d.flag in settings) throw new Error(`--${d.flag} is both fixed (${JSON.stringify(settings[d.flag])}) and swept; drop one`);
  }
  if (dims.length === 0) throw new Error('the grid is empty: nothing to sweep; give --grid FLAG=VALUES and/or --seeds');
  return { ...(parts.preset === undefined ? {} : { preset: parts.preset }), settings, dims };
}

/**
 * Reads a sweep spec file (see SweepSpecFile) into the pieces `buildSweepSpec` takes.
 *
 * @example
 * buildSweepSpec(readSweepSpecFile('sweep.json'));
 * @throws naming the file and what is wrong in it.
 */
export function readSweepSpecFile(path: string): SweepSpecParts {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`--spec ${path}: ${(err as Error).message}`);
  }
  const file = parseOrExplain(SweepSpecFile, raw, `sweep spec ${path}`);
  const grid = Object.entries(file.grid).map(([flag, v]) => (typeof v === 'string' ? `${flag}=${v}` : { flag, values: v }));
  return { preset: file.preset, settings: file.settings, grid, seeds: file.seeds };
}

const idPart = (v: Scalar) => String(v).replace(/[^A-Za-z0-9.+-]/g, '-');

/**
 * Every point of the grid, the first dimension outermost (seeds innermost). A point's id names its swept values
 * (`weight-decay=0.1_seed=3`): stable across runs of the same spec, and its run directory's name.
 *
 * @example
 * sweepPoints(spec).map((p) => p.id); // ['weight-decay=0.1_seed=0', 'weight-decay=0.1_seed=1', ...]
 */
export function sweepPoints(spec: SweepSpec): SweepPoint[] {
  let points: SweepPoint[] = [{ id: '', settings: {} }];
  for (const d of spec.dims) {
    points = points.flatMap((p) => d.values.map((v) => ({
      id: `${p.id ? `${p.id}_` : ''}${d.flag}=${idPart(v)}`, settings: { ...p.settings, [d.flag]: v },
    })));
  }
  return points;
}

/**
 * A short hash of the spec (preset, settings, dimensions): names the default sweep directory and tells a rerun of the
 * same sweep from another.
 *
 * @example
 * specHash(spec); // 'a3f09c12'
 */
export function specHash(spec: SweepSpec): string {
  return hashJson({ preset: spec.preset ?? null, settings: sortedSettings(spec.settings), dims: spec.dims });
}

/**
 * Settings with their keys sorted, so the order flags were given in does not change a hash.
 *
 * @example
 * sortedSettings({ p: 23, lr: 0.01 }); // { lr: 0.01, p: 23 }
 */
export function sortedSettings(settings: Record<string, Scalar>): Record<string, Scalar> {
  return Object.fromEntries(Object.entries(settings).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The first 8 hex digits of the SHA-256 of a value's JSON.
 *
 * @example
 * hashJson({ a: 1 }); // '015abd7f'
 */
export function hashJson(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 8);
}

/**
 * The `grok train` arguments of a point: the preset, the fixed settings, then the point's values. A boolean flag is
 * passed bare when true and left out when false.
 *
 * @example
 * pointArgs({ preset: 'modular-addition', settings: { p: 23 }, dims: [] }, { id: 'seed=1', settings: { seed: 1 } });
 * // ['--preset', 'modular-addition', '--p', '23', '--seed', '1']
 */
export function pointArgs(spec: SweepSpec, point: SweepPoint): string[] {
  const args = spec.preset === undefined ? [] : ['--preset', spec.preset];
  for (const [flag, value] of Object.entries({ ...spec.settings, ...point.settings })) {
    if (value === false) continue;
    args.push(`--${flag}`);
    if (value !== true) args.push(String(value));
  }
  return args;
}
