// Renders a Report as one self-contained HTML file: uPlot's script and stylesheet and all data are inlined, so the
// page opens offline and makes no network request. Each figure's element gets data-rendered="true" once drawn.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Report } from './figures';
import { CLIENT_SCRIPT, STYLE } from './client';

function uplotAssets(): { js: string; css: string } {
  const require = createRequire(import.meta.url);
  const dist = require.resolve('uplot/dist/uPlot.iife.min.js');
  return { js: readFileSync(dist, 'utf8'), css: readFileSync(dist.replace('uPlot.iife.min.js', 'uPlot.min.css'), 'utf8') };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

// JSON inside a <script> block: `</script>` and U+2028/9 must not end or break it.
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * The report as an HTML string.
 *
 * @example
 * writeFileSync('report.html', renderReport({ title: 'run', summary: ['grokked at epoch 9000'], sections: [] }));
 */
export function renderReport(report: Report): string {
  const { js, css } = uplotAssets();
  const sections = report.sections
    .map((s) => `<section><h2>${escapeHtml(s.title)}</h2><div class="grid">${s.figures
      .map((f) => `<figure><figcaption><b>${escapeHtml(f.title)}</b>${f.caption ? `<br><span>${escapeHtml(f.caption)}</span>` : ''}</figcaption><div class="plot" id="fig-${escapeHtml(f.id)}" data-kind="${f.kind}"></div></figure>`)
      .join('')}</div></section>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(report.title)}</title>
<style>${css}</style><style>${STYLE}</style></head>
<body><header><h1>${escapeHtml(report.title)}</h1><ul class="summary">${report.summary.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul></header>
${sections}
<script>${js}</script>
<script id="report-data" type="application/json">${scriptJson(report.sections.flatMap((s) => s.figures))}</script>
<script>${CLIENT_SCRIPT}</script>
</body></html>
`;
}
