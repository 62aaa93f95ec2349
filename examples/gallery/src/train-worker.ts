// The training worker: readies a GPU backend (falling back in order), trains with @grokking/trainer and streams
// evaluations to the page. Pause stops the run with a final checkpoint; resume continues exactly from it.
import { trainOptions } from '@grokking/experiments';
import { train, type CheckpointStore } from '@grokking/trainer';
import { buildRun, type Run } from './build-run';
import type { FromWorker, RunSettings, ToWorker } from './protocol';
import { readyWithFallback } from './ready';

const scope = self as unknown as {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};
const post = (message: FromWorker, transfer?: Transferable[]) => scope.postMessage(message, transfer);

/** Keeps only the newest checkpoint: a long run in a tab should not hold every one in memory. */
function latestOnlyStore(): CheckpointStore & { latest(): { epoch: number; bytes: Uint8Array } | null } {
  let newest: { epoch: number; bytes: Uint8Array } | null = null;
  return {
    list: async () => (newest ? [newest.epoch] : []),
    read: async (epoch) => {
      if (!newest || newest.epoch !== epoch) throw new Error(`no checkpoint for epoch ${epoch}`);
      return newest.bytes.slice();
    },
    write: async (epoch, bytes) => {
      newest = { epoch, bytes: bytes.slice() };
    },
    latest: () => newest,
  };
}

let settings: RunSettings | null = null;
let run: Run | null = null;
let controller: AbortController | null = null;
const store = latestOnlyStore();

async function runTraining(resume: boolean): Promise<void> {
  if (!settings || !run) return;
  controller = new AbortController();
  post({ type: 'state', state: 'running', epoch: store.latest()?.epoch ?? 0 });
  const result = await train({
    model: run.model, info: run.task.info, data: run.data.train, ...trainOptions(run.spec),
    metrics: run.metrics, metricsEvery: settings.metricsEvery,
    checkpoint: { store, every: settings.metricsEvery }, resume, signal: controller.signal,
    onEval: (record) => post({ type: 'eval', record }),
  });
  controller = null;
  post({ type: 'state', state: result.stopped === 'aborted' ? 'paused' : 'done', epoch: result.epoch });
}

function report(err: unknown): void {
  post({ type: 'error', message: String((err as Error).stack ?? err) });
}

scope.onmessage = ({ data: message }) => {
  if (message.type === 'start' && !settings) {
    settings = message.settings;
    readyWithFallback(settings.backend)
      .then(({ info, failed }) => {
        post({ type: 'backend', info, failed });
        run = buildRun(settings!);
        return runTraining(false);
      })
      .catch(report);
  } else if (message.type === 'pause') {
    controller?.abort();
  } else if (message.type === 'resume' && run && !controller) {
    runTraining(true).catch(report);
  } else if (message.type === 'download') {
    const latest = store.latest();
    if (!latest) return report(new Error('no checkpoint yet: pause, or wait for the first measurement'));
    const bytes = latest.bytes.slice().buffer;
    post({ type: 'checkpoint', epoch: latest.epoch, bytes }, [bytes]);
  }
};
