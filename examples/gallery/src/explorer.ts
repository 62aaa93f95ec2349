// The checkpoint explorer: read a file, analyse it on the chosen backend, and draw the analysis.
import { readyWithFallback } from './ready';
import { describeBackend, GALLERY_BACKENDS, type GalleryBackend } from './protocol';
import { analyzeOutputs, modelOutputs, openModel, type Exploration } from './explore-model';
import { readyBackend } from '@grokking/backend';
import { BarPlot, figure, heatmap, scatter } from './plots';
import { preferredBackend } from './settings';

const status = document.querySelector<HTMLElement>('#status')!;
const backendLabel = document.querySelector<HTMLElement>('#backend')!;
const choice = document.querySelector<HTMLSelectElement>('#backend-choice')!;
const summary = document.querySelector<HTMLElement>('#summary')!;
const plots = document.querySelector<HTMLElement>('#plots')!;
const asked = new URLSearchParams(location.search).get('backend');
choice.value = asked && GALLERY_BACKENDS.includes(asked as GalleryBackend) ? asked : preferredBackend();

async function explore(file: File): Promise<void> {
  status.textContent = `reading ${file.name}`;
  status.dataset.state = 'working';
  const { info, failed } = await readyWithFallback(choice.value as GalleryBackend);
  backendLabel.textContent = describeBackend(info, failed);
  backendLabel.dataset.active = info.name;
  const opened = openModel(new Uint8Array(await file.arrayBuffer()));
  status.textContent = `analysing ${opened.format}${opened.epoch === null ? '' : ` at epoch ${opened.epoch}`}`;
  await new Promise((resolve) => setTimeout(resolve, 0)); // let the status paint
  let outputs;
  try {
    outputs = await modelOutputs(opened.model);
  } finally {
    opened.model.dispose();
  }
  // The analysis reads small results back synchronously, which tfjs-webgpu does not do reliably (it returned zeros
  // in headless Chromium), so on WebGPU the analysis itself runs on the CPU backend; the model ran on WebGPU.
  let where: string = info.name;
  if (info.name === 'webgpu') {
    await readyBackend('cpu');
    where = 'cpu (the model ran on webgpu)';
  }
  try {
    render(analyzeOutputs(outputs), `${file.name}: ${opened.format}${opened.epoch === null ? '' : `, epoch ${opened.epoch}`}; analysis on ${where}`);
  } finally {
    if (info.name === 'webgpu') await readyBackend('webgpu');
  }
  status.textContent = 'done';
  status.dataset.state = 'done';
}

function render({ p, analysis, neurons, attention }: Exploration, title: string): void {
  const a = analysis;
  const fit = a.logits?.fit;
  summary.innerHTML = '';
  const list = document.createElement('ul');
  const line = (text: string) => list.append(Object.assign(document.createElement('li'), { textContent: text }));
  line(title);
  line(`p = ${p}; key frequencies ${a.keyFrequencies.join(', ') || 'none'} (from ${a.keyFrequencySource})`);
  if (a.neurons) {
    const sizes = a.neurons.clusters.clusters.map((c) => `${c.freq}: ${c.neurons.length}`).join(', ');
    line(`neuron clusters (frequency: neurons) ${sizes || 'none'}; ${a.neurons.clusters.unclustered.length} unclustered`);
  }
  if (fit) line(`logits ≈ Σ α_w cos(w(x+y−z)) over the key frequencies explains ${(100 * fit.fractionOfVarianceExplained).toFixed(1)}% of their variance; α = ${fit.alphas.map((x) => x.toFixed(2)).join(', ')}`);
  if (a.attention) line(`attention heads' frequencies: ${a.attention.heads.map((h) => `head ${h.head}: ${h.freq ?? '-'} (${(100 * h.fraction).toFixed(0)}%)`).join(', ')}`);
  summary.append(list);

  plots.replaceChildren();
  if (a.embedding) {
    new BarPlot(figure(plots, 'plot-embed', 'W_E: norm of each Fourier component'), a.basisNames, 'norm').set(a.embedding.norms.componentNorms);
    a.embedding.circles.slice(0, 3).forEach((circle, i) => {
      scatter(figure(plots, `plot-circle-${i}`, `W_E projected on frequency ${circle.freq}: a circle`), circle.coordinates, circle.coordinates.map((_, x) => String(x)));
    });
  }
  if (a.neurons) {
    const clusters = a.neurons.clusters.clusters;
    if (clusters.length) {
      new BarPlot(figure(plots, 'plot-clusters', 'Neurons per frequency cluster'), clusters.map((c) => String(c.freq)), 'neurons')
        .set(clusters.map((c) => c.neurons.length));
    }
    heatmap(figure(plots, 'plot-neuron-fourier', 'Neurons in the 2D Fourier basis (norm over neurons)'), a.neurons.fourier2dNorms.flat(), p, p, 'columns: y component, rows: x component');
  }
  neurons.forEach(({ neuron, freq, values }) => {
    heatmap(figure(plots, `plot-neuron-${neuron}`, `Neuron ${neuron}${freq ? ` (frequency ${freq} cluster)` : ''}`), values, p, p, 'columns: y, rows: x');
  });
  if (a.logits) heatmap(figure(plots, 'plot-logit-fourier', 'Logits in the 2D Fourier basis (norm over outputs)'), a.logits.fourier2dNorms.flat(), p, p, 'columns: y component, rows: x component');
  attention?.forEach((values, head) => {
    heatmap(figure(plots, `plot-attention-${head}`, `Head ${head}: attention from = to x`), values, p, p, 'columns: y, rows: x');
  });
}

document.querySelector<HTMLInputElement>('#file')!.addEventListener('change', (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (!file) return;
  explore(file).catch((err: unknown) => {
    status.textContent = `error: ${(err as Error).message}`;
    status.dataset.state = 'error';
    console.error(err);
  });
});
