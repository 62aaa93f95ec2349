// The sweep's progress line and its time left.
import { PassThrough } from 'node:stream';
import { countsLine, createSweepProgress, sweepEta } from './sweep-progress';

describe('sweep progress', () => {
  it('estimates the time left from this session\'s pace', () => {
    expect(sweepEta(120, 4, 6)).toBe(180);
    expect(sweepEta(120, 0, 6)).toBeNull();
    expect(sweepEta(10, 2, 0)).toBe(0);
  });

  it('counts finished (and failed), running and queued points', () => {
    expect(countsLine({ done: 3, failed: 1, running: 2, queued: 2 })).toBe('4/8 finished (1 failed), 2 running, 2 queued');
    expect(countsLine({ done: 0, failed: 0, running: 1, queued: 0 })).toBe('0/1 finished, 1 running, 0 queued');
  });

  it('writes a line per finish when not on a terminal', () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    let text = '';
    (stream as unknown as PassThrough).on('data', (d: Buffer) => { text += d.toString(); });
    const progress = createSweepProgress(3, 1, 'local pool of 2', stream);
    progress.update({ done: 1, failed: 0, running: 2, queued: 0 });
    progress.update({ done: 1, failed: 0, running: 2, queued: 0 });
    progress.update({ done: 2, failed: 0, running: 1, queued: 0 });
    progress.stop();
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('sweep: 3 points on the local pool of 2 (1 already finished)');
    expect(lines.slice(1).map((l) => l.replace(/ETA .*/, 'ETA'))).toEqual(['sweep: 1/3 finished, 2 running, 0 queued, ETA', 'sweep: 2/3 finished, 1 running, 0 queued, ETA']);
  });
});
