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
    return `${stableIds(await view.toSVG())}\n`;
  } finally {
    view.finalize();
  }
}

/**
 * Vega numbers clip paths with a counter shared by every chart the process draws, so the same chart would get other
 * ids after other charts; renumbered per document, an SVG depends on its own spec only.
 */
function stableIds(svg: string): string {
  const ids = new Map<string, number>();
  return svg.replace(/clip(\d+)/g, (_, id: string) => {
    if (!ids.has(id)) ids.set(id, ids.size + 1);
    return `clip${ids.get(id)}`;
  });
}
