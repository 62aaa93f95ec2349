// Run settings: defaults per task, overridden by URL parameters (`?p=17&epochs=300&backend=webgl`) and by the form.
import { GALLERY_BACKENDS, type GalleryBackend, type RunSettings, type TaskKind } from './protocol';

/** The defaults of each task: the write-up's modular addition, and small versions of the other tasks for a tab. */
export function defaultSettings(task: TaskKind): RunSettings {
  const base = {
    task, backend: preferredBackend(), seed: 0, evalEvery: 50, lr: 1e-3, p: 113, trainFraction: 0.3, digits: 5,
    trainSize: 0, testSize: 500, batchSize: 64,
  };
  switch (task) {
    case 'modular-addition':
      return { ...base, epochs: 20_000, metricsEvery: 500, weightDecay: 1, dModel: 128 };
    case 'digit-addition':
      return { ...base, epochs: 1500, metricsEvery: 50, weightDecay: 0.1, dModel: 64, digits: 3 };
    case 'repeated-subsequence':
      return { ...base, epochs: 1500, metricsEvery: 50, weightDecay: 0.1, dModel: 64 };
    case 'max-element':
      return { ...base, epochs: 600, metricsEvery: 25, evalEvery: 25, weightDecay: 0.1, dModel: 32 };
  }
}

/** WebGPU where the browser has it, else WebGL. */
export function preferredBackend(): GalleryBackend {
  return 'gpu' in navigator ? 'webgpu' : 'webgl';
}

const NUMERIC: (keyof RunSettings)[] = ['seed', 'epochs', 'evalEvery', 'metricsEvery', 'lr', 'weightDecay', 'dModel', 'p',
  'trainFraction', 'digits', 'trainSize', 'testSize', 'batchSize'];

/** Applies string values by field name (URL parameters or form fields); names a bad value. */
export function applyValues(settings: RunSettings, values: Iterable<[string, string]>): RunSettings {
  const out: RunSettings = { ...settings };
  for (const [key, raw] of values) {
    if (key === 'backend') {
      if (!GALLERY_BACKENDS.includes(raw as GalleryBackend)) throw new Error(`backend must be one of ${GALLERY_BACKENDS.join(', ')}, got ${raw}`);
      out.backend = raw as GalleryBackend;
    } else if (key === 'task') {
      out.task = raw as TaskKind;
    } else if ((NUMERIC as string[]).includes(key)) {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw new Error(`${key} must be a number, got ${JSON.stringify(raw)}`);
      (out as unknown as Record<string, number>)[key] = n;
    }
  }
  if (out.metricsEvery % out.evalEvery !== 0) out.metricsEvery = Math.max(1, Math.round(out.metricsEvery / out.evalEvery)) * out.evalEvery;
  return out;
}

/** Fills a form's inputs (matched by name) from settings. */
export function fillForm(form: HTMLFormElement, settings: RunSettings): void {
  for (const el of Array.from(form.elements) as HTMLInputElement[]) {
    const value = (settings as unknown as Record<string, unknown>)[el.name];
    if (el.name && value !== undefined) el.value = String(value);
  }
}

/** The form's values as settings. */
export function readForm(form: HTMLFormElement, settings: RunSettings): RunSettings {
  return applyValues(settings, [...new FormData(form).entries()].map(([k, v]) => [k, String(v)] as [string, string]));
}

/** Settings for a page: the task's defaults, then the URL's parameters. */
export function initialSettings(task: TaskKind): RunSettings {
  const params = new URLSearchParams(location.search);
  const chosen = (params.get('task') as TaskKind | null) ?? task;
  return applyValues(defaultSettings(chosen), params.entries());
}
