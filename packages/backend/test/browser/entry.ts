// Bundled for the browser: readies the backend named in the page's URL and runs the conformance checks.
import { readyBackend } from '../../src/index';
import { runConformance } from '../../src/conformance';

const name = new URLSearchParams(location.search).get('backend') ?? 'webgl';
(async () => {
  try {
    const info = await readyBackend(name);
    const report = await runConformance();
    (window as unknown as { result: unknown }).result = { info, report };
  } catch (err) {
    (window as unknown as { result: unknown }).result = { error: String((err as Error).stack ?? err) };
  }
})();
