// Sweep values: lists, inclusive ranges without float noise, seeds, and the errors for malformed ones.
import { parseSeeds, parseValues, rangeValues } from './values';

describe('parseValues', () => {
  it('reads lists, ranges and mixes, as numbers where they are numbers', () => {
    expect(parseValues('0.1,0.3,1,3', 'weight-decay')).toEqual([0.1, 0.3, 1, 3]);
    expect(parseValues('0.2:0.9:0.1', 'train-fraction')).toEqual([0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(parseValues('1e-3,adamw,true', 'x')).toEqual([0.001, 'adamw', true]);
    expect(parseValues('10:30:10, 100', 'p')).toEqual([10, 20, 30, 100]);
  });

  it('rounds a range to the decimals written, and includes its end', () => {
    // 0.1 * 3 is 0.30000000000000004 in floating point: the value must print as 0.3.
    expect(rangeValues('0:0.3:0.1', 'lr')).toEqual([0, 0.1, 0.2, 0.3]);
    expect(rangeValues('1e-3:3e-3:1e-3', 'lr')).toEqual([0.001, 0.002, 0.003]);
    expect(rangeValues('0.05:0.2:0.05', 'f').map(String)).toEqual(['0.05', '0.1', '0.15', '0.2']);
  });

  it('names the flag and the problem', () => {
    expect(() => parseValues('', 'weight-decay')).toThrow(/weight-decay: the grid is empty/);
    expect(() => parseValues(' , ', 'p')).toThrow(/p: the grid is empty/);
    expect(() => rangeValues('0.9:0.2:0.1', 'train-fraction')).toThrow(/train-fraction: the range 0.9:0.2:0.1 needs step > 0 and start <= stop/);
    expect(() => rangeValues('1:2', 'p')).toThrow(/a range is start:stop:step, got "1:2"/);
    expect(() => parseValues('1:x:1', 'p')).toThrow(/p: "x" is not a number/);
  });
});

describe('parseSeeds', () => {
  it('reads ranges and lists, once each', () => {
    expect(parseSeeds('0-4')).toEqual([0, 1, 2, 3, 4]);
    expect(parseSeeds('3,1,0-1')).toEqual([3, 1, 0]);
  });

  it('refuses what is not a seed', () => {
    expect(() => parseSeeds('')).toThrow(/--seeds: the list is empty/);
    expect(() => parseSeeds('4-2')).toThrow(/the range 4-2 runs backwards/);
    expect(() => parseSeeds('-1')).toThrow(/"-1" is not a non-negative integer/);
    expect(() => parseSeeds('1.5')).toThrow(/"1.5" is not a non-negative integer/);
  });
});
