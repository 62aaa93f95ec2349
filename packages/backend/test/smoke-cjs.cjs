// Plain Node CommonJS: the CJS build registers gradients and readies a backend.
const tf = require('@tensorflow/tfjs-core');
const { readyBackend } = require('@grokking/backend');

(async () => {
  for (const name of ['cpu', 'wasm']) {
    const info = await readyBackend(name);
    const g = tf.grad((x) => tf.sum(tf.square(x)))(tf.tensor1d([1, -2, 3]));
    const got = Array.from(await g.data());
    if (JSON.stringify(got) !== JSON.stringify([2, -4, 6])) throw new Error(`CJS gradient on ${name}: ${got}`);
    console.log(`cjs smoke: ${info.active} gradient ${got.join(',')} ok`);
  }
})().catch((err) => { console.error(err); process.exit(1); });
