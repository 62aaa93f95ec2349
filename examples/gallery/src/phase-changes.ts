// The phase-changes page: the write-up's other tasks trained in a worker, with per-slot (per-digit) and, for the
// max element, per-target loss curves.
import type { EvalRecord } from '@grokking/trainer';
import { digitAddition, maxElement, repeatedSubsequence, type TaskInfo } from '@grokking/tasks';
import { LinePlot, figure } from './plots';
import { pageElements, startSession } from './session';
import { defaultSettings, fillForm, initialSettings, readForm } from './settings';
import type { TaskKind } from './protocol';

const { form, plots, session: elements } = pageElements();
let settings = initialSettings('digit-addition');
fillForm(form, settings);
let stop: (() => void) | null = null;

// Changing the task loads its defaults.
form.querySelector<HTMLSelectElement>('select[name=task]')!.addEventListener('change', (event) => {
  settings = { ...defaultSettings((event.target as HTMLSelectElement).value as TaskKind), backend: settings.backend };
  fillForm(form, settings);
});

function infoOf(task: TaskKind, digits: number): TaskInfo {
  if (task === 'digit-addition') return digitAddition({ digits }).info;
  return task === 'repeated-subsequence' ? repeatedSubsequence().info : maxElement().info;
}

function start(): void {
  stop?.();
  settings = readForm(form, settings);
  const info = infoOf(settings.task, settings.digits);
  plots.replaceChildren();
  const loss = new LinePlot(figure(plots, 'plot-loss', 'Loss (log scale)'), ['train', 'test'], { logY: true, yLabel: 'loss' });
  const accuracy = new LinePlot(figure(plots, 'plot-accuracy', 'Accuracy'), ['train', 'test'], { yLabel: 'accuracy' });
  // Per-slot test loss: one curve per sum digit (digit addition); one curve per slot otherwise.
  const slots = info.nScored > 1 ? new LinePlot(figure(plots, 'plot-slots', 'Test loss per output slot (log scale)'), [...info.slotNames], { logY: true }) : null;
  // Per-target test loss for the max element: one curve per top value, i.e. per skip trigram.
  const targets = settings.task === 'max-element' ? info.outputNames.slice(10) : [];
  const trigrams = targets.length ? new LinePlot(figure(plots, 'plot-targets', 'Test loss per max value (log scale)'), targets, { logY: true }) : null;
  stop = startSession(settings, elements, (r: EvalRecord) => {
    loss.push(r.epoch, [r.trainLoss, r.testLoss]);
    accuracy.push(r.epoch, [r.trainAccuracy, r.testAccuracy]);
    slots?.push(r.epoch, r.testSlotLoss ?? []);
    const perTarget = (r.metrics as Record<string, Record<string, number>> | undefined)?.targetLoss;
    if (trigrams && perTarget) trigrams.push(r.epoch, targets.map((t) => perTarget[`test ${t}`]));
  });
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  try {
    start();
  } catch (err) {
    elements.status.textContent = `error: ${(err as Error).message}`;
  }
});
if (new URLSearchParams(location.search).get('autostart') === '1') start();
