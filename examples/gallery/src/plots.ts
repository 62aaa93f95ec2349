// Plots: line and bar charts with uPlot, heatmaps and scatter plots on a canvas. Each marks its element with
// data-points (how many finite values it drew), which the browser tests read.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const WIDTH = 480;
const HEIGHT = 260;

function countFinite(columns: ArrayLike<number | null>[]): number {
  let n = 0;
  for (const c of columns) for (let i = 0; i < c.length; i++) if (Number.isFinite(c[i])) n++;
  return n;
}

/** A figure: a captioned box in a container. */
export function figure(container: HTMLElement, id: string, caption: string): HTMLElement {
  const fig = document.createElement('figure');
  const cap = document.createElement('figcaption');
  cap.textContent = caption;
  const body = document.createElement('div');
  body.id = id;
  body.className = 'plot';
  fig.append(cap, body);
  container.append(fig);
  return body;
}

/** A line chart whose points arrive over time: `push(x, ys)` appends one point to every series. */
export class LinePlot {
  private readonly xs: number[] = [];
  private readonly ys: (number | null)[][];
  private readonly plot: uPlot;
  private pending = false;

  constructor(private readonly el: HTMLElement, labels: string[], options: { logY?: boolean; xLabel?: string; yLabel?: string } = {}) {
    this.ys = labels.map(() => []);
    this.plot = new uPlot({
      width: WIDTH, height: HEIGHT,
      scales: { x: { time: false }, y: options.logY ? { distr: 3 } : {} },
      axes: [{ label: options.xLabel ?? 'epoch' }, { label: options.yLabel ?? '' }],
      series: [{ label: options.xLabel ?? 'epoch' }, ...labels.map((label, i) => ({ label, stroke: PALETTE[i % PALETTE.length], width: 1.5, spanGaps: true }))],
    }, [[], ...labels.map(() => [])], el);
  }

  /** Appends a point; y values that are missing or not positive on a log scale are gaps. */
  push(x: number, values: (number | null | undefined)[]): void {
    if (this.xs.length && x <= this.xs[this.xs.length - 1]!) return; // a resumed run re-reports its last epoch
    this.xs.push(x);
    this.ys.forEach((series, i) => series.push(values[i] ?? null));
    this.schedule();
  }

  /** Clears every point. */
  clear(): void {
    this.xs.length = 0;
    for (const s of this.ys) s.length = 0;
    this.schedule();
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.plot.setData([this.xs, ...this.ys] as uPlot.AlignedData);
      this.el.dataset.points = String(countFinite(this.ys));
    });
  }
}

/** A bar chart with fixed labels, redrawn with `set(values)`. */
export class BarPlot {
  private readonly plot: uPlot;

  constructor(private readonly el: HTMLElement, private readonly labels: string[], yLabel: string) {
    if (labels.length === 0) throw new Error('a bar plot needs at least one bar');
    const xs = labels.map((_, i) => i);
    this.plot = new uPlot({
      width: WIDTH, height: HEIGHT, scales: { x: { time: false, range: [-0.5, labels.length - 0.5] } },
      axes: [{ values: (_u, ticks) => ticks.map((t) => labels[t] ?? '') }, { label: yLabel }],
      series: [
        { label: 'component', value: (_u, v) => (v == null ? '' : labels[v] ?? '') },
        { label: yLabel, fill: '#1f77b4aa', stroke: '#1f77b4', paths: uPlot.paths.bars!({ size: [0.8, 16] }), points: { show: false } },
      ],
    }, [xs, labels.map(() => null)], el);
  }

  set(values: number[]): void {
    if (values.length !== this.labels.length) throw new Error(`expected ${this.labels.length} bar values, got ${values.length}`);
    this.plot.setData([this.labels.map((_, i) => i), values]);
    this.el.dataset.points = String(countFinite([values]));
    this.el.dataset.max = String(Math.max(...values));
  }
}

function colour(t: number): string {
  const c = (v: number) => Math.round(255 * Math.min(1, Math.max(0, v)));
  return `rgb(${c(1.6 * t - 0.4)},${c(1.2 * t)},${c(0.9 - 0.9 * t + 0.3 * Math.sin(3.14 * t))})`;
}

/** A heatmap of a rows x cols grid (row-major values), drawn on a canvas with its value range below. */
export function heatmap(el: HTMLElement, values: ArrayLike<number>, rows: number, cols: number, axes: string): void {
  const size = 260;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d')!;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    lo = Math.min(lo, values[i]!);
    hi = Math.max(hi, values[i]!);
  }
  const span = hi - lo || 1;
  const cw = size / cols;
  const ch = size / rows;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      ctx.fillStyle = colour((values[r * cols + c]! - lo) / span);
      ctx.fillRect(c * cw, r * ch, Math.ceil(cw), Math.ceil(ch));
    }
  }
  const label = document.createElement('div');
  label.className = 'axis';
  label.textContent = `${axes}; range ${lo.toPrecision(3)} to ${hi.toPrecision(3)}`;
  el.replaceChildren(canvas, label);
  el.dataset.points = String(countFinite([values]));
}

/** A scatter plot of labelled points (e.g. the embedding's circle for one frequency). */
export function scatter(el: HTMLElement, points: number[][], labels: string[]): void {
  const size = 260;
  const pad = 16;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d')!;
  const xs = points.map((pt) => pt[0] ?? 0);
  const ys = points.map((pt) => pt[1] ?? 0);
  const [xl, xh, yl, yh] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  ctx.font = '9px sans-serif';
  xs.forEach((x, i) => {
    const px = pad + ((size - 2 * pad) * (x - xl)) / (xh - xl || 1);
    const py = size - pad - ((size - 2 * pad) * (ys[i]! - yl)) / (yh - yl || 1);
    ctx.fillStyle = PALETTE[0]!;
    ctx.beginPath();
    ctx.arc(px, py, 2.5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.fillStyle = '#333';
    ctx.fillText(labels[i] ?? '', px + 3, py - 3);
  });
  el.replaceChildren(canvas);
  el.dataset.points = String(countFinite([xs, ys]));
}
