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
      const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 3));
      close(wasm.norms.flat(), cpu.norms.flat());
      close(wasm.normsAgain.flat(), cpu.norms.flat());
      close(wasm.fractions.flat(), cpu.fractions.flat());
      close(wasm.oneD, cpu.oneD);
      close(wasm.embedding, cpu.embedding);
      close(wasm.pca, cpu.pca);
      close(wasm.fit, cpu.fit);
      close(wasm.projected, cpu.projected);
    } finally {
      await readyBackend('cpu');
    }
  }, 60000);
});
