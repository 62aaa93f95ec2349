// Test helper: opens a run directory's report.html in headless Chromium, offline, and says what was drawn.
import { join } from 'node:path';

/** One figure element of the report: its id, whether it says it rendered, and what it drew. */
export interface DrawnFigure {
  id: string;
  rendered: string | null;
  /** Canvases (charts, heatmaps) or table rows drawn inside it. */
  drawn: number;
}

/** Renders DIR/report.html, writes DIR/report.png, and returns its figures, console errors and requests. */
export async function reportInBrowser(dir: string): Promise<{ figures: DrawnFigure[]; errors: string[]; requests: string[]; url: string }> {
  const { launchBrowser, serveDir } = await import('@grokking/browser-testing');
  const server = await serveDir(dir);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m: { type(): string; text(): string }) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e: Error) => errors.push(String(e)));
    page.on('request', (r: { url(): string }) => requests.push(r.url()));
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.goto(`${server.url}/report.html`);
    await page.waitForSelector('body[data-rendered="true"]', { timeout: 60_000 });
    const figures = await page.evaluate(() => Array.from(document.querySelectorAll('.plot')).map((el) => ({
      id: el.id, rendered: el.getAttribute('data-rendered'), drawn: el.querySelectorAll('canvas, tr').length,
    })));
    await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
    return { figures, errors, requests, url: `${server.url}/report.html` };
  } finally {
    await browser.close();
    server.close();
  }
}
