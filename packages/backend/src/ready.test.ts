import * as tf from '@tensorflow/tfjs-core';
import { readyBackend, defaultBackend, activeBackend } from './ready';
import { parseBackendName } from './names';
import { runConformance, formatConformance } from './conformance';

describe('readyBackend', () => {
  it.each(['cpu', 'wasm'] as const)('readies %s, which then passes the conformance checks', async (name) => {
    const info = await readyBackend(name);
    expect(info.active).toBe(name);
    expect(activeBackend()).toBe(name);
    const report = await runConformance();
    console.log(formatConformance(report));
    expect(report.checks.filter((c) => !c.pass)).toEqual([]);
    expect(report.backend).toBe(name);
  });

  it('uses SIMD on wasm, on one thread by default under jest', async () => {
    const info = await readyBackend('wasm');
    expect(info.simd).toBe(true);
    expect(info.threads).toBe(1); // see ready-threads.test.ts for more
  });

  it('defaults to wasm in Node', () => {
    expect(defaultBackend()).toBe('wasm');
  });

  it.each([
    ['tensorflow-gpu', '@tensorflow/tfjs-node-gpu'],
    ['tensorflow', '@tensorflow/tfjs-node'],
  ])('names the package to install when %s is missing, and keeps the active backend', async (name, pkg) => {
    await readyBackend('cpu');
    await expect(readyBackend(name)).rejects.toThrow(`needs the package ${pkg}, which is not installed`);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('rejects an unknown backend name, naming it and the choices', async () => {
    await expect(readyBackend('gpu')).rejects.toThrow('backend must be one of cpu, wasm, webgl, webgpu, tensorflow, tensorflow-gpu; got "gpu"');
    expect(() => parseBackendName(3)).toThrow('got 3');
  });

  it('rejects a bad thread count', async () => {
    await expect(readyBackend('wasm', { threads: 0 })).rejects.toThrow('threads must be a positive integer; got 0');
  });
});
