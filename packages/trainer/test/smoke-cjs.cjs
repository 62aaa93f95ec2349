// Plain Node CommonJS against the built package: both entries load and export what they should.
const trainer = require('@grokking/trainer');
const node = require('@grokking/trainer/node');

for (const name of ['train', 'createOptimizer', 'preciseCrossEntropy', 'encodeCheckpoint', 'decodeCheckpoint', 'latestCheckpoint', 'createMemoryStore']) {
  if (typeof trainer[name] !== 'function') throw new Error(`@grokking/trainer lacks ${name}`);
}
if (typeof node.createFileStore !== 'function') throw new Error('@grokking/trainer/node lacks createFileStore');
if (trainer.checkpointFileName(100) !== 'epoch-0000100.safetensors') throw new Error('checkpointFileName');
console.log('cjs smoke: both entries ok');
