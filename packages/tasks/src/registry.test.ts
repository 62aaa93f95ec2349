import { isModularTask, taskFromName, taskNames } from './registry';

describe('taskFromName', () => {
  it('builds every named task, whose info carries the same name', () => {
    expect(taskNames).toEqual([
      'modular-addition', 'modular-subtraction', 'modular-multiplication', 'modular-division', 'modular-x2+y2',
      'modular-x2+xy+y2', 'digit-addition', 'repeated-subsequence', 'max-element',
    ]);
    for (const name of taskNames) expect(taskFromName(name).info.name).toBe(name);
  });

  it('passes options on to the task', () => {
    const division = taskFromName('modular-division', { p: 7 });
    expect(division.info.dVocab).toBe(8);
    expect(division.pairCount).toBe(42);
    // (3 · 5) mod 7 = 1, so 3 / 5 = 2 (2 · 5 = 10 ≡ 3).
    expect(division.all().targets[division.pairIndex(3, 5)]).toBe(2);
    expect(taskFromName('digit-addition', { digits: 3 }).info.nCtx).toBe(11);
    expect(taskFromName('repeated-subsequence', { vocabSize: 20, length: 30, repeatLength: 6 }).info.nScored).toBe(5);
    expect(taskFromName('max-element', { length: 5 }).info.fixedPositions).toEqual([6]);
  });

  it('tells modular tasks apart', () => {
    expect(isModularTask(taskFromName('modular-x2+y2'))).toBe(true);
    expect(isModularTask(taskFromName('digit-addition'))).toBe(false);
  });

  it('rejects an unknown name or an option the task does not take', () => {
    expect(() => taskFromName('modular-power')).toThrow('task must be one of modular-addition,');
    expect(() => taskFromName('modular-addition', { digits: 5 })).toThrow('unknown option "digits"; allowed: p');
    expect(() => taskFromName('modular-addition', { operation: 'multiply' })).toThrow('unknown option "operation"');
    expect(() => taskFromName('modular-division', { p: 12 })).toThrow('p must be prime for modular division, got 12');
    expect(() => taskFromName('digit-addition', { p: 5 })).toThrow('unknown option "p"; allowed: digits');
  });
});
