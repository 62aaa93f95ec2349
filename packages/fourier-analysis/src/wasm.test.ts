// The analyses on wasm give the cpu answers when one tensor is passed in several shapes (tfjs-wasm's matmul cache).
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { fourier1d, fourier2dNorms } from './transform';
import { frequencyFractions } from './neurons';
import { embeddingFourierNorms } from './embedding';
import { embeddingPca } from './pca';
import { projectOntoXPlusY } from './directions';
import { fitCosXPlusYMinusZ } from './logits';
import { noLeak } from './test-fixtures';

// tfjs-wasm caches a matmul operator per right operand's data, whatever its shape (a reshape shares data), so one
// tensor fed to several functions in different shapes must never be a right operand (see matmul.ts). Every function
// here gets the same data as [p*p, p] and as [p, p*p], in turn, and must agree with the cpu backend.
describe('on wasm, the same tensor in several shapes', () => {
  const p = 23;
  const read = (t: tf.Tensor) => {
    const values = Array.from(t.dataSync());
    t.dispose();
    return values;
  };
  const run = () => {
    const A = tf.randomNormal([p * p, p], 0, 1, 'float32', 9); // [p*p, p]
    const wide = tf.reshape(A, [p, p * p]); // [p, p*p], same data
    const out = noLeak(() => ({
      norms: fourier2dNorms(A, p),
      fractions: frequencyFractions(A, p),
      oneD: read(fourier1d(wide, p)),
      embedding: embeddingFourierNorms(wide, p).componentNorms,
      pca: embeddingPca(wide, p, { freq: 3 }).explainedVarianceRatio,
      fit: fitCosXPlusYMinusZ(A, p, [2, 5]).alphas,
      projected: read(projectOntoXPlusY(A, p, [2, 5])),
      normsAgain: fourier2dNorms(A, p),
    }));
    tf.dispose([A, wide]);
    return out;
  };

  it('gives the cpu backend answers', async () => {
    await readyBackend('cpu');
    const cpu = run();
    await readyBackend('wasm');
    try {
      const wasm = run();
      // Every value of each answer, so each must have its full length on both backends.
      const close = (a: number[], b: number[], length: number) => {
        expect([a.length, b.length]).toEqual([length, length]);
        a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 3));
      };
      close(wasm.norms.flat(), cpu.norms.flat(), p * p); // [p, p] 2D components
      close(wasm.normsAgain.flat(), cpu.norms.flat(), p * p);
      close(wasm.fractions.flat(), cpu.fractions.flat(), p * Math.floor(p / 2)); // [channels = p, frequencies]
      close(wasm.oneD, cpu.oneD, p * p * p); // [p, p*p]
      close(wasm.embedding, cpu.embedding, p); // one norm per basis row
      close(wasm.pca, cpu.pca, 2); // two components by default
      close(wasm.fit, cpu.fit, 2); // one α per frequency fitted
      close(wasm.projected, cpu.projected, p * p * p); // [p*p, p]
    } finally {
      await readyBackend('cpu');
    }
  }, 60000);
});
