// What may share a stack, and the member lines `grok train-stack` writes and `grok sweep` reads.
import { memberEndLine, parseStackMembers, readMemberEnds, stackKey } from './train-stack';
import { planRun } from './train';

const config = (flags: Record<string, unknown>) => planRun({ preset: 'modular-addition', out: '/tmp/x', flags: { p: 23, ...flags } }).config;

describe('stackKey', () => {
  it('is the same for runs that differ only in weight decay and, training full batch, in seed', () => {
    expect(stackKey(config({ weightDecay: 0.3 }))).toBe(stackKey(config({ weightDecay: 3 })));
    expect(stackKey(config({ weightDecay: 0.3, seed: 4 }))).toBe(stackKey(config({ weightDecay: 3, seed: 0 })));
  });

  it('differs for any other setting, and for the seed with minibatches (drawn from each run\'s own generator)', () => {
    const base = stackKey(config({}));
    for (const flags of [{ lr: 0.01 }, { trainFraction: 0.5 }, { dMlp: 64 }, { epochs: 10 }, { batchSize: 64 }]) expect(stackKey(config(flags))).not.toBe(base);
    expect(stackKey(config({ batchSize: 64, seed: 1 }))).not.toBe(stackKey(config({ batchSize: 64, seed: 0 })));
    expect(stackKey(config({ batchSize: 64, weightDecay: 0.1 }))).toBe(stackKey(config({ batchSize: 64, weightDecay: 3 })));
  });

  it('is null for what a stack cannot train: the mlp model, and optimisers whose decay is not decoupled', () => {
    expect(stackKey(config({ model: 'mlp' }))).toBeNull();
    expect(stackKey(config({ optimizer: 'adam' }))).toBeNull();
    expect(stackKey(config({ optimizer: 'sgd' }))).toBeNull();
  });
});

describe('member lines', () => {
  it('reads back what memberEndLine writes, among other output', () => {
    const ends = [
      { dir: '/s/points/weight-decay=1', stopped: 'grokked', epoch: 901 },
      { dir: '/s/points/weight-decay=0: odd', stopped: 'completed', epoch: 3000 },
    ] as const;
    const stderr = ['wasm: 1 thread', ...ends.map(memberEndLine), ''].join('\n');
    expect([...readMemberEnds(stderr).values()]).toEqual(ends);
  });

  it('parses the members argument and names a bad one', () => {
    expect(parseStackMembers('[{"dir":"a","args":["--weight-decay","1"]}]')).toEqual([{ dir: 'a', args: ['--weight-decay', '1'] }]);
    for (const bad of ['nope', '[]', '[{"dir":"a"}]', '[{"dir":"a","args":[1]}]']) {
      expect(() => parseStackMembers(bad)).toThrow(`train-stack takes a JSON list of members, [{ "dir": "...", "args": ["..."] }, ...], got ${bad}`);
    }
  });
});
