// The progress of a whole sweep: points finished (and failed), running, queued, and the time left. A cli-progress bar
// on a terminal, a plain line at most every `lineEvery` ms (and on every finish) elsewhere.
import cliProgress from 'cli-progress';

/** How many points stand where. */
export interface SweepCounts {
  done: number;
  failed: number;
  running: number;
  queued: number;
}

/**
 * Seconds left at this session's pace: the points finished since it started took `elapsedS`; `remaining` are left.
 * Null before the first finish.
 *
 * @example
 * sweepEta(120, 4, 6); // 180
 * sweepEta(120, 0, 6); // null
 */
export function sweepEta(elapsedS: number, finishedNow: number, remaining: number): number | null {
  return finishedNow > 0 ? (elapsedS / finishedNow) * remaining : null;
}

const clock = (s: number | null) => {
  if (s === null) return '?';
  const m = Math.floor(s / 60);
  return m >= 60 ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m` : `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
};

/**
 * The one-line summary of a sweep's counts.
 *
 * @example
 * countsLine({ done: 3, failed: 1, running: 2, queued: 2 }); // '4/8 finished (1 failed), 2 running, 2 queued'
 */
export function countsLine(c: SweepCounts): string {
  const total = c.done + c.failed + c.running + c.queued;
  return `${c.done + c.failed}/${total} finished${c.failed ? ` (${c.failed} failed)` : ''}, ${c.running} running, ${c.queued} queued`;
}

/** A sweep's progress display. */
export interface SweepProgress {
  update(counts: SweepCounts): void;
  stop(): void;
}

/**
 * A progress display for a sweep whose `finishedBefore` points were already finished when it (re)started.
 *
 * @example
 * const progress = createSweepProgress(8, 0, 'local pool of 2');
 * progress.update({ done: 1, failed: 0, running: 2, queued: 5 }); progress.stop();
 */
export function createSweepProgress(total: number, finishedBefore: number, what: string, stream: NodeJS.WriteStream = process.stderr, lineEvery = 10_000): SweepProgress {
  const tty = Boolean(stream.isTTY);
  const t0 = performance.now();
  let lastLine = -Infinity;
  let lastFinished = finishedBefore;
  const bar = new cliProgress.SingleBar({
    stream, format: 'sweep |{bar}| {line} | ETA {eta}', barsize: 24, hideCursor: true, fps: 2,
  }, cliProgress.Presets.shades_classic);
  if (tty) bar.start(total, finishedBefore, { line: 'starting', eta: '?' });
  else stream.write(`sweep: ${total} points on the ${what}${finishedBefore ? ` (${finishedBefore} already finished)` : ''}\n`);
  return {
    update(c) {
      const finished = c.done + c.failed;
      const eta = clock(sweepEta((performance.now() - t0) / 1000, finished - finishedBefore, total - finished));
      if (tty) {
        bar.update(finished, { line: countsLine(c), eta });
      } else if (finished !== lastFinished || performance.now() - lastLine >= lineEvery) {
        lastLine = performance.now();
        lastFinished = finished;
        stream.write(`sweep: ${countsLine(c)}, ETA ${eta}\n`);
      }
    },
    stop() {
      if (tty) bar.stop();
    },
  };
}
