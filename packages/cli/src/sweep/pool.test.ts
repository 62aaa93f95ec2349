// The local pool's size and threads from --workers, --threads and the core count.
import { defaultPool, poolSize } from './pool';

describe('poolSize', () => {
  it('runs one more point than cores with one wasm thread each, or one point with the backend\'s threads on one core', () => {
    expect(defaultPool(2)).toEqual({ size: 3, threads: 1 });
    expect(defaultPool(16)).toEqual({ size: 17, threads: 1 });
    expect(defaultPool(1)).toEqual({ size: 1, threads: undefined });
  });

  it('takes --workers and --threads, one thread each when several run and none is given', () => {
    expect(poolSize(undefined, undefined, 4)).toEqual({ size: 5, threads: 1 });
    expect(poolSize(1, undefined, 4)).toEqual({ size: 1, threads: undefined });
    expect(poolSize(3, undefined, 2)).toEqual({ size: 3, threads: 1 });
    expect(poolSize(2, 2, 4)).toEqual({ size: 2, threads: 2 });
  });

  it('refuses counts that are not positive integers', () => {
    expect(() => poolSize(0, undefined, 2)).toThrow('--workers must be a positive integer, got 0');
    expect(() => poolSize(2, 1.5, 2)).toThrow('--threads must be a positive integer, got 1.5');
  });
});
