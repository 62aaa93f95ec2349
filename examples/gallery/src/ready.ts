// Readies the asked-for backend, falling back to the others in order (webgpu, webgl, wasm, cpu) and saying why.
import { readyBackend, type BackendInfo } from '@grokking/backend';
import { GALLERY_BACKENDS, type BackendFailure, type GalleryBackend } from './protocol';
import { WASM_FILES } from './wasm-files';

/** Readies one backend; wasm first learns where the gallery serves its binaries, and takes every core it may. */
async function ready(name: GalleryBackend): Promise<BackendInfo> {
  if (name !== 'wasm') return readyBackend(name);
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  setWasmPaths(WASM_FILES);
  // Threads need a cross-origin isolated page (SharedArrayBuffer); tfjs-wasm then caps them at half the logical cores.
  return readyBackend('wasm', { threads: navigator.hardwareConcurrency });
}

export async function readyWithFallback(requested: GalleryBackend): Promise<{ info: BackendInfo; failed: BackendFailure[] }> {
  const failed: BackendFailure[] = [];
  for (const name of [requested, ...GALLERY_BACKENDS.filter((b) => b !== requested)]) {
    try {
      const info = await ready(name);
      return { info, failed };
    } catch (err) {
      failed.push({ name, error: (err as Error).message });
    }
  }
  throw new Error(`no backend could be readied: ${failed.map((f) => `${f.name}: ${f.error}`).join('; ')}`);
}
