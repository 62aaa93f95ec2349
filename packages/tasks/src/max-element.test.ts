import fc from 'fast-check';
import { allocateDataset } from './dataset';
import { maxElement, writeMaxElement } from './max-element';
import { createRng } from './random';
import type { Dataset, TaskInfo } from './types';

/** Checks example r: START ... END, exactly one element in the top range, strictly above the rest, and the target. */
function checkMax(dataset: Dataset, info: TaskInfo, r: number, lowValues: number): void {
  const { nCtx } = info;
  const valueCount = info.dVocabOut;
  const tokens = Array.from(dataset.tokens.subarray(r * nCtx, (r + 1) * nCtx));
  expect(info.tokenNames[tokens[0]!]).toBe('START');
  expect(info.tokenNames[tokens[nCtx - 1]!]).toBe('END');
  const values = tokens.slice(1, -1);
  const top = values.filter((v) => v >= lowValues);
  expect(top).toHaveLength(1);
  expect(top[0]).toBeLessThan(valueCount);
  expect(values.filter((v) => v < top[0]!)).toHaveLength(values.length - 1); // one strict max
  expect(dataset.positions[r]).toBe(nCtx - 1);
  expect(dataset.targets[r]).toBe(top[0]);
}

describe('maxElement', () => {
  it("defaults to the write-up's task: 11 elements, others 0-9, the max 10-19", () => {
    const { info } = maxElement();
    expect(info).toMatchObject({ name: 'max-element', dVocab: 22, dVocabOut: 20, nCtx: 13, nScored: 1 });
    expect(info.fixedPositions).toEqual([12]);
    expect(info.tokenNames.slice(19)).toEqual(['19', 'START', 'END']);
    expect(info.outputNames[14]).toBe('14');
    expect(info.slotNames).toEqual(['max']);
  });

  it("writes the write-up's example START 0 4 7 2 4 14 9 7 2 5 3 END -> 14", () => {
    const { info } = maxElement();
    const dataset = allocateDataset(1, info);
    writeMaxElement([0, 4, 7, 2, 4, 14, 9, 7, 2, 5, 3], 20, dataset, 0);
    expect(Array.from(dataset.tokens, (t) => info.tokenNames[t]).join(' ')).toBe('START 0 4 7 2 4 14 9 7 2 5 3 END');
    expect(Array.from(dataset.positions)).toEqual([12]);
    expect(Array.from(dataset.targets)).toEqual([14]);
  });

  it('always has exactly one max above the rest, and it is the target (property over options and seeds)', () => {
    const options = fc.record({
      length: fc.integer({ min: 2, max: 30 }),
      lowValues: fc.integer({ min: 1, max: 30 }),
      topValues: fc.integer({ min: 1, max: 30 }),
    });
    fc.assert(
      fc.property(options, fc.integer(), (o, seed) => {
        const task = maxElement(o);
        expect(task.info.nCtx).toBe(o.length + 2);
        const batch = task.sample(10, createRng(seed));
        for (let r = 0; r < batch.size; r++) checkMax(batch, task.info, r, o.lowValues);
      }),
      { numRuns: 200 },
    );
  });

  it('draws the max position and value, and the other elements, uniformly', () => {
    const batch = maxElement().sample(20000, createRng(11));
    const byPosition = new Array(11).fill(0);
    const byValue = new Array(20).fill(0);
    for (let r = 0; r < batch.size; r++) {
      const values = Array.from(batch.tokens.subarray(r * 13 + 1, r * 13 + 12));
      byPosition[values.indexOf(batch.targets[r]!)]++;
      for (const v of values) byValue[v]++;
    }
    for (const c of byPosition) expect(Math.abs(c - 20000 / 11)).toBeLessThan(200); // ~4.7 standard deviations
    for (let v = 0; v < 10; v++) expect(Math.abs(byValue[v] - 20000)).toBeLessThan(600); // 200000 others / 10
    for (let v = 10; v < 20; v++) expect(Math.abs(byValue[v] - 2000)).toBeLessThan(200); // 20000 maxima / 10
  });

  it('splits into distinct train and test inputs, deterministically', () => {
    const task = maxElement();
    const { train, test } = task.split({ trainSize: 300, testSize: 200, seed: 5 });
    expect([train.size, test.size]).toEqual([300, 200]);
    const keys = new Set<string>();
    for (const set of [train, test]) {
      for (let r = 0; r < set.size; r++) {
        keys.add(set.tokens.subarray(r * 13, (r + 1) * 13).join());
        checkMax(set, task.info, r, 10);
      }
    }
    expect(keys.size).toBe(500);
    expect(task.split({ trainSize: 300, testSize: 200, seed: 5 }).train.tokens).toEqual(train.tokens);
    // A tiny universe: length 2, one low and one top value gives 2 inputs (max first or second).
    const tiny = maxElement({ length: 2, lowValues: 1, topValues: 1 });
    const both = tiny.split({ trainSize: 1, testSize: 1, seed: 0 });
    expect(new Set([both.train.tokens.join(), both.test.tokens.join()])).toEqual(new Set(['2,1,0,3', '2,0,1,3']));
    expect(() => tiny.split({ trainSize: 2, testSize: 1, seed: 0 })).toThrow('must be at most 2');
  });

  it('rejects bad arguments, naming the argument, its value and what is allowed', () => {
    expect(() => maxElement({ length: 1 })).toThrow('length must be an integer >= 2, got 1');
    expect(() => maxElement({ lowValues: 0 })).toThrow('lowValues must be an integer >= 1, got 0');
    expect(() => maxElement({ topValues: 2.5 })).toThrow('topValues must be an integer >= 1, got 2.5');
    expect(() => maxElement({ topValues: NaN })).toThrow('got NaN');
    expect(() => maxElement({ size: 3 } as object)).toThrow('unknown option "size"; allowed: length, lowValues, topValues');
  });
});
