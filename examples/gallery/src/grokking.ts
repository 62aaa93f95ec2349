// The live grokking page: modular addition trained in a worker, with loss, accuracy, W_E Fourier norms and the
// progress measures plotted as they arrive.
import type { EvalRecord } from '@grokking/trainer';
import { BarPlot, LinePlot, figure } from './plots';
import { pageElements, startSession } from './session';
import { fillForm, initialSettings, readForm } from './settings';

const { form, plots, session: elements } = pageElements();
let settings = initialSettings('modular-addition');
fillForm(form, settings);
let stop: (() => void) | null = null;

function start(): void {
  stop?.();
  settings = readForm(form, settings);
  plots.replaceChildren();
  const loss = new LinePlot(figure(plots, 'plot-loss', 'Loss (log scale)'), ['train', 'test'], { logY: true, yLabel: 'loss' });
  const accuracy = new LinePlot(figure(plots, 'plot-accuracy', 'Accuracy'), ['train', 'test'], { yLabel: 'accuracy' });
  const frequencies = Array.from({ length: Math.floor(settings.p / 2) }, (_, i) => String(i + 1));
  const norms = new BarPlot(figure(plots, 'plot-embed-norms', 'Norm of W_E per frequency (latest)'), frequencies, 'norm');
  const measures = new LinePlot(figure(plots, 'plot-measures', 'Progress measures (log scale)'),
    ['train loss', 'excluded loss', 'restricted loss (train)', 'restricted loss (test)', 'test loss'], { logY: true, yLabel: 'loss' });
  stop = startSession(settings, elements, (r: EvalRecord) => {
    loss.push(r.epoch, [r.trainLoss, r.testLoss]);
    accuracy.push(r.epoch, [r.trainAccuracy, r.testAccuracy]);
    const m = r.metrics as Record<string, Record<string, number>> | undefined;
    if (!m) return;
    if (m.embedNorms) norms.set(frequencies.map((k) => m.embedNorms![k] ?? 0));
    if (m.excludedLoss || m.restrictedLoss) {
      measures.push(r.epoch, [r.trainLoss, m.excludedLoss?.all, m.restrictedLoss?.train, m.restrictedLoss?.test, r.testLoss]);
    }
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
