// The page side of a training run: starts the worker, shows the backend and state, wires pause / resume /
// download, and hands evaluations to the page's plots.
import type { EvalRecord } from '@grokking/trainer';
import { describeBackend, type FromWorker, type RunSettings, type ToWorker } from './protocol';

export interface SessionElements {
  status: HTMLElement;
  backend: HTMLElement;
  /** Epochs per second since the run last started or resumed, on the active backend. */
  speed: HTMLElement;
  pause: HTMLButtonElement;
  download: HTMLButtonElement;
}

/** The elements both training pages share: the settings form, the plot area and the session controls. */
export function pageElements(): { form: HTMLFormElement; plots: HTMLElement; session: SessionElements } {
  const get = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
  return {
    form: get<HTMLFormElement>('#settings'),
    plots: get('#plots'),
    session: { status: get('#status'), backend: get('#backend'), speed: get('#speed'), pause: get<HTMLButtonElement>('#pause'), download: get<HTMLButtonElement>('#download') },
  };
}

/** Starts a run in a new worker; `onEval` gets every evaluation. Returns a function that ends the run. */
export function startSession(settings: RunSettings, el: SessionElements, onEval: (record: EvalRecord) => void): () => void {
  const worker = new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module' });
  const send = (message: ToWorker) => worker.postMessage(message);
  let state = 'starting';
  // Where the speed is measured from: the epoch and time the run last started or resumed (paused time is not counted).
  let since: { epoch: number; ms: number } | null = null;
  const setState = (next: string, epoch: number) => {
    state = next;
    since = next === 'running' ? { epoch, ms: performance.now() } : null;
    el.status.textContent = `${next} at epoch ${epoch}`;
    el.status.dataset.state = next;
    el.pause.textContent = next === 'paused' ? 'Resume' : 'Pause';
    el.pause.disabled = next === 'done';
  };
  el.pause.disabled = false;
  el.download.disabled = false;
  el.pause.onclick = () => send({ type: state === 'paused' ? 'resume' : 'pause' });
  el.download.onclick = () => send({ type: 'download' });

  worker.onmessage = ({ data: message }: MessageEvent<FromWorker>) => {
    switch (message.type) {
      case 'backend': {
        const { info, failed } = message;
        el.backend.dataset.active = info.name;
        el.backend.textContent = describeBackend(info, failed);
        break;
      }
      case 'eval': {
        onEval(message.record);
        el.status.textContent = `${state} at epoch ${message.record.epoch}`;
        const seconds = since ? (performance.now() - since.ms) / 1000 : 0;
        if (since && message.record.epoch > since.epoch && seconds > 0) {
          const rate = (message.record.epoch - since.epoch) / seconds;
          el.speed.dataset.rate = String(rate);
          el.speed.textContent = `${rate.toFixed(rate < 10 ? 2 : 1)} epochs/s`;
        }
        break;
      }
      case 'state':
        setState(message.state, message.epoch);
        break;
      case 'checkpoint':
        saveBytes(message.bytes, `${settings.task}-seed${settings.seed}-epoch-${String(message.epoch).padStart(7, '0')}.safetensors`);
        break;
      case 'error':
        el.status.textContent = `error: ${message.message.split('\n')[0]}`;
        el.status.dataset.state = 'error';
        console.error(message.message);
        break;
    }
  };
  worker.onerror = (event) => console.error(`training worker: ${event.message}`);
  send({ type: 'start', settings });
  return () => worker.terminate();
}

/** Offers bytes as a file download. */
export function saveBytes(bytes: ArrayBuffer, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
