// Readies the asked-for backend, falling back to the others in order (webgpu, webgl, cpu) and saying why.
import { readyBackend, type BackendInfo } from '@grokking/backend';
import { GALLERY_BACKENDS, type BackendFailure, type GalleryBackend } from './protocol';

export async function readyWithFallback(requested: GalleryBackend): Promise<{ info: BackendInfo; failed: BackendFailure[] }> {
  const failed: BackendFailure[] = [];
  for (const name of [requested, ...GALLERY_BACKENDS.filter((b) => b !== requested)]) {
    try {
      const info = await readyBackend(name);
      return { info, failed };
    } catch (err) {
      failed.push({ name, error: (err as Error).message });
    }
  }
  throw new Error(`no backend could be readied: ${failed.map((f) => `${f.name}: ${f.error}`).join('; ')}`);
}
