import { BACKEND_PACKAGES, type BackendName } from './names';

/**
 * Imports the package that registers a backend. The browser-capable backends are literal imports, so bundlers such
 * as Vite include them; tfjs-node's packages are computed names, so a browser bundle never tries to resolve them.
 */
export async function loadBackendModule(name: BackendName): Promise<unknown> {
  const pkg = BACKEND_PACKAGES[name];
  try {
    switch (name) {
      case 'cpu':
        return await import('@tensorflow/tfjs-backend-cpu');
      case 'wasm':
        return await import('@tensorflow/tfjs-backend-wasm');
      case 'webgl':
        return await import('@tensorflow/tfjs-backend-webgl');
      case 'webgpu':
        return await import('@tensorflow/tfjs-backend-webgpu');
      default:
        return await import(/* @vite-ignore */ pkg);
    }
  } catch (err) {
    throw new Error(missingMessage(name, err));
  }
}

function missingMessage(name: BackendName, err: unknown): string {
  const pkg = BACKEND_PACKAGES[name];
  const e = err as { code?: string; message?: string };
  const missing = e.code === 'MODULE_NOT_FOUND' || e.code === 'ERR_MODULE_NOT_FOUND' || /Cannot find (module|package)/.test(e.message ?? '');
  const hint = name.startsWith('tensorflow')
    ? ' (it downloads libtensorflow when it installs, so it needs network access to its binary host)'
    : '';
  if (missing) return `backend "${name}" needs the package ${pkg}, which is not installed: add it with \`pnpm add ${pkg}\`${hint}`;
  return `backend "${name}" could not be loaded from ${pkg}: ${e.message ?? String(err)}`;
}
