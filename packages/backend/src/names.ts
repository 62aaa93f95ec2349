/** The backends this package can ready, by the name tfjs registers them under. */
export const BACKEND_NAMES = ['cpu', 'wasm', 'webgl', 'webgpu', 'tensorflow', 'tensorflow-gpu'] as const;

/** A backend name: `cpu`, `wasm`, `webgl`, `webgpu`, `tensorflow` (tfjs-node) or `tensorflow-gpu` (tfjs-node-gpu). */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** The npm package that provides each backend; a missing one is named in the error. */
export const BACKEND_PACKAGES: Record<BackendName, string> = {
  cpu: '@tensorflow/tfjs-backend-cpu',
  wasm: '@tensorflow/tfjs-backend-wasm',
  webgl: '@tensorflow/tfjs-backend-webgl',
  webgpu: '@tensorflow/tfjs-backend-webgpu',
  tensorflow: '@tensorflow/tfjs-node',
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
};

/** tfjs-node registers both of its flavours under the name `tensorflow`. */
export function registeredName(name: BackendName): string {
  return name === 'tensorflow-gpu' ? 'tensorflow' : name;
}

/**
 * Checks a backend name given as a string (from a flag, a URL, a config file).
 *
 * @example
 * parseBackendName('wasm'); // 'wasm'
 * parseBackendName('gpu');  // throws: backend must be one of cpu, wasm, ...; got "gpu"
 */
export function parseBackendName(value: unknown): BackendName {
  if (typeof value === 'string' && (BACKEND_NAMES as readonly string[]).includes(value)) {
    return value as BackendName;
  }
  throw new Error(`backend must be one of ${BACKEND_NAMES.join(', ')}; got ${JSON.stringify(value)}`);
}

/** True when running under Node.js rather than in a browser or worker. */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string' && typeof (globalThis as { window?: unknown }).window === 'undefined';
}
