// The values a sweep tries for one flag, as written on the command line or in a spec file: a comma list
// (`0.1,0.3,1`), an inclusive range `start:stop:step` (`0.2:0.9:0.1`), or a mix; seeds also as `0-4`.

/** A value a `grok train` flag takes: a number, a name, or true/false for a bare flag. */
export type Scalar = number | string | boolean;

// Decimal places of a number as written, so a range's values print as 0.3, not 0.30000000000000004.
function decimals(text: string): number {
  const m = /\.(\d+)/.exec(text);
  const e = /e([+-]?\d+)$/i.exec(text);
  return Math.max(0, (m?.[1]?.length ?? 0) - (e ? Number(e[1]) : 0));
}

function number(text: string, what: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new Error(`${what}: ${JSON.stringify(text)} is not a number`);
  return n;
}

/**
 * The values of an inclusive range `start:stop:step`, rounded to the decimals written.
 *
 * @example
 * rangeValues('0.2:0.9:0.1', 'train-fraction'); // [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
 * @throws when step is not positive or start > stop.
 */
export function rangeValues(text: string, what: string): number[] {
  const parts = text.split(':');
  if (parts.length !== 3) throw new Error(`${what}: a range is start:stop:step, got ${JSON.stringify(text)}`);
  const [start, stop, step] = parts.map((p) => number(p, what)) as [number, number, number];
  if (!(step > 0) || start > stop) throw new Error(`${what}: the range ${text} needs step > 0 and start <= stop`);
  const places = Math.max(...parts.map(decimals));
  const out: number[] = [];
  // Values up to stop, allowing for the rounding of start + i * step.
  for (let i = 0; start + i * step <= stop + step * 1e-9; i++) out.push(Number((start + i * step).toFixed(places)));
  return out;
}

/**
 * Parses one flag's sweep values: comma-separated items, each a value or a range `start:stop:step`. Numbers become
 * numbers, `true`/`false` booleans, anything else stays a string (the flag's own parser checks it later).
 *
 * @example
 * parseValues('0.1,0.3,1', 'weight-decay');      // [0.1, 0.3, 1]
 * parseValues('0.2:0.4:0.1,0.9', 'train-fraction'); // [0.2, 0.3, 0.4, 0.9]
 * @throws naming the flag when the list is empty or an item is malformed.
 */
export function parseValues(text: string, what: string): Scalar[] {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new Error(`${what}: the grid is empty; give values like ${what}=1,2,3 or ${what}=0.1:0.9:0.1`);
  const out: Scalar[] = [];
  for (const item of items) {
    if (item.includes(':')) out.push(...rangeValues(item, what));
    else if (item === 'true' || item === 'false') out.push(item === 'true');
    else out.push(Number.isFinite(Number(item)) ? Number(item) : item);
  }
  return out;
}

/**
 * Parses a seed list: `0-4`, `0,2,7`, or a mix (`0-2,10`).
 *
 * @example
 * parseSeeds('0-4'); // [0, 1, 2, 3, 4]
 * parseSeeds('3,1'); // [3, 1]
 * @throws when a seed is not a non-negative integer, a range runs backwards, or the list is empty.
 */
export function parseSeeds(text: string): number[] {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new Error(`--seeds: the list is empty; give seeds like 0-4 or 0,1,2`);
  const out: number[] = [];
  const seed = (s: string) => {
    const n = Number(s);
    if (s === '' || !Number.isInteger(n) || n < 0) throw new Error(`--seeds: ${JSON.stringify(s)} is not a non-negative integer`);
    return n;
  };
  for (const item of items) {
    const m = /^(\d+)\s*-\s*(\d+)$/.exec(item);
    if (!m) { out.push(seed(item)); continue; }
    const [a, b] = [seed(m[1]!), seed(m[2]!)];
    if (a > b) throw new Error(`--seeds: the range ${item} runs backwards`);
    for (let s = a; s <= b; s++) out.push(s);
  }
  return [...new Set(out)];
}
