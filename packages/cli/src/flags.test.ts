import { Command } from 'commander';
import { addTrainFlags, flagsToConfig } from './flags';

function parse(args: string[]) {
  const command = addTrainFlags(new Command('train')).exitOverride().configureOutput({ writeErr: () => {} });
  command.parse(args, { from: 'user' });
  return flagsToConfig(command.opts());
}

describe('train flags', () => {
  it('maps kebab-case flags onto configuration fields', () => {
    expect(parse(['--task', 'modular-subtraction', '--p', '97', '--train-fraction', '0.4', '--weight-decay', '0.5', '--d-mlp', '256', '--attn-only', '--seed', '3'])).toEqual({
      seed: 3,
      task: { name: 'modular-subtraction', p: 97, trainFraction: 0.4 },
      model: { dMlp: 256, attnOnly: true },
      trainer: { weightDecay: 0.5 },
    });
  });

  it('gives --stop-when-grokked a default patience when bare', () => {
    expect(parse(['--stop-when-grokked']).trainer).toEqual({ stopWhenGrokked: 5 });
    expect(parse(['--stop-when-grokked', '3']).trainer).toEqual({ stopWhenGrokked: 3 });
  });

  it('rejects a non-number before any work starts, naming the flag and value', () => {
    expect(() => parse(['--lr', 'fast'])).toThrow('--lr must be a number, got "fast"');
    expect(() => parse(['--epochs', '1.5'])).toThrow('--epochs must be an integer, got "1.5"');
  });
});
