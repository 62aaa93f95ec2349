// The live progress line of `grok train`: a cli-progress bar on a terminal, plain lines elsewhere (logs, CI).
import cliProgress from 'cli-progress';
import type { EvalRecord } from '@grokking/trainer';

const fmt = (v: number | undefined, digits = 3) => (v === undefined ? '-' : v.toPrecision(digits));
const pct = (v: number | undefined) => (v === undefined ? '-' : `${(100 * v).toFixed(1)}%`);

/** Shows training progress: epoch, train/test loss and accuracy, epochs per second and ETA. */
export interface Progress {
  start(total: number, startEpoch: number): void;
  update(record: EvalRecord): void;
  stop(): void;
}

/**
 * A progress display for `stream` (default stderr): a live bar on a TTY, one line per `lineEvery` ms otherwise.
 *
 * @example
 * const progress = createProgress();
 * progress.start(40000, 0); progress.update(record); progress.stop();
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr, lineEvery = 10_000): Progress {
  const tty = Boolean(stream.isTTY);
  const bar = new cliProgress.SingleBar({
    stream,
    format: 'epoch {value}/{total} |{bar}| train {trainLoss} ({trainAcc}) test {testLoss} ({testAcc}) | {eps} ep/s | ETA {eta_formatted}',
    barsize: 24,
    hideCursor: true,
    etaBuffer: 20,
    fps: 5,
  }, cliProgress.Presets.shades_classic);
  let t0 = 0;
  let e0 = 0;
  let lastLine = 0;
  let total = 0;
  const payload = (r?: EvalRecord, eps = 0) => ({
    trainLoss: fmt(r?.trainLoss), testLoss: fmt(r?.testLoss), trainAcc: pct(r?.trainAccuracy), testAcc: pct(r?.testAccuracy),
    eps: eps.toFixed(1),
  });
  return {
    start(n, startEpoch) {
      total = n;
      t0 = performance.now();
      e0 = startEpoch;
      if (tty) bar.start(n, startEpoch, payload());
      else stream.write(`training epochs ${startEpoch}..${n}\n`);
    },
    update(r) {
      const seconds = (performance.now() - t0) / 1000;
      const eps = seconds > 0 ? (r.epoch - e0) / seconds : 0;
      if (tty) {
        bar.update(r.epoch, payload(r, eps));
      } else if (performance.now() - lastLine >= lineEvery || r.epoch === total) {
        lastLine = performance.now();
        const p = payload(r, eps);
        stream.write(`epoch ${r.epoch}/${total} train ${p.trainLoss} (${p.trainAcc}) test ${p.testLoss} (${p.testAcc}) ${p.eps} ep/s\n`);
      }
    },
    stop() {
      if (tty) bar.stop();
    },
  };
}
