import { bestNodeBackend } from './best-backend';
import { planRun } from './commands/train';

const only = (...installed: string[]) => (id: string) => {
  if (installed.includes(id)) return `/node_modules/${id}/index.js`;
  throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
};

describe('bestNodeBackend', () => {
  it('prefers tfjs-node with CUDA, then tfjs-node, then wasm', () => {
    expect(bestNodeBackend(only('@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'))).toBe('tensorflow-gpu');
    expect(bestNodeBackend(only('@tensorflow/tfjs-node'))).toBe('tensorflow');
    expect(bestNodeBackend(only())).toBe('wasm');
  });

  it('is wasm here, where tfjs-node cannot install, and a run records it; --backend wins', () => {
    expect(bestNodeBackend()).toBe('wasm');
    expect(planRun({ flags: { epochs: 10 } }).config.backend).toBe('wasm');
    expect(planRun({ flags: { epochs: 10, backend: 'cpu' } }).config.backend).toBe('cpu');
  });
});
