// The report's figures as plain data; render.ts turns them into a self-contained HTML page.

/** A line chart over a shared x axis (e.g. loss curves against epoch). */
export interface LineFigure {
  kind: 'line';
  id: string;
  title: string;
  caption?: string;
  xLabel: string;
  yLabel: string;
  logY?: boolean;
  x: number[];
  series: { label: string; values: (number | null)[] }[];
  /** Vertical markers, e.g. phase boundaries. */
  markers?: { x: number; label: string }[];
}

/** A bar chart (e.g. the norm of each Fourier component of W_E). */
export interface BarFigure {
  kind: 'bars';
  id: string;
  title: string;
  caption?: string;
  labels: string[];
  values: number[];
  yLabel: string;
}

/** A heatmap of rows x cols values (e.g. a neuron's activation over (x, y), or 2D Fourier norms). */
export interface HeatmapFigure {
  kind: 'heatmap';
  id: string;
  title: string;
  caption?: string;
  rows: number;
  cols: number;
  /** Row-major, rows * cols values. */
  values: number[];
  xLabel: string;
  yLabel: string;
  /** Colour by log10 of the value (values at or below 1e-6 of the largest share its colour): say so in the caption. */
  logScale?: boolean;
  /** Labels of the columns, when they are not 0..cols-1 (e.g. the epochs of checkpoints). */
  colLabels?: string[];
}

/** A scatter plot (e.g. the embedding's first two principal components, labelled by token). */
export interface ScatterFigure {
  kind: 'scatter';
  id: string;
  title: string;
  caption?: string;
  x: number[];
  y: number[];
  labels?: string[];
  xLabel: string;
  yLabel: string;
}

/** A small table of values (e.g. each digit's phase-change epoch). */
export interface TableFigure {
  kind: 'table';
  id: string;
  title: string;
  caption?: string;
  columns: string[];
  rows: (string | number | null)[][];
}

/** Any figure. */
export type Figure = LineFigure | BarFigure | HeatmapFigure | ScatterFigure | TableFigure;

/** A report: a title, a few summary lines, and figures in sections. */
export interface Report {
  title: string;
  summary: string[];
  sections: { title: string; figures: Figure[] }[];
}
