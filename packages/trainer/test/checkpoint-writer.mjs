// Child process of kill-during-write.mjs: writes ever newer 4 MB checkpoints into a directory until it is killed.
// It prints `writing <epoch>` just before each store.write (the bytes are encoded by then) and `wrote <epoch>` once
// the write has returned; stdout to a pipe is synchronous in Node, so the parent sees each line before what follows.
import { createFileStore } from '@grokking/trainer/node';
import { encodeCheckpoint, resolveOptimizerConfig } from '@grokking/trainer';

const store = createFileStore(process.argv[2]);
const size = 1 << 20;
const start = ((await store.list()).at(-1) ?? 0) + 1;
for (let epoch = start; ; epoch++) {
  const bytes = encodeCheckpoint({
    epoch,
    step: epoch,
    rng: [1, 2, 3, 4],
    params: { 'embed.W_E': { shape: [size], data: new Float32Array(size).fill(epoch) } },
    optimizerState: {},
    optimizer: resolveOptimizerConfig({}),
    model: { kind: 'probe', config: {} },
    trainer: {},
  });
  process.stdout.write(`writing ${epoch}\n`);
  await store.write(epoch, bytes);
  process.stdout.write(`wrote ${epoch}\n`);
}
