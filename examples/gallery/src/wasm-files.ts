// The wasm backend's three binaries, shipped with the gallery: vite emits each as an asset and gives its URL, and the
// backend fetches the one it needs (the threaded build where the page is cross-origin isolated, else SIMD, else plain).
import plain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/** tfjs-backend-wasm's binaries by file name, as its `setWasmPaths` takes them. */
export const WASM_FILES = {
  'tfjs-backend-wasm.wasm': plain,
  'tfjs-backend-wasm-simd.wasm': simd,
  'tfjs-backend-wasm-threaded-simd.wasm': threadedSimd,
};
