// Rendering a Vega-Lite spec to SVG with Vega, in Node: no browser and no canvas, the same bytes for the same spec.
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { ChartSpec } from './charts';

/**
 * Renders a Vega-Lite spec to an SVG document.
 *
 * @example
 * writeFileSync('loss.svg', await renderSvg(lineChart({ ... })));
 */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return `${await view.toSVG()}\n`;
  } finally {
    view.finalize();
  }
}
