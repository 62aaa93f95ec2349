// One multi-page app: the gallery index and one page per example. Training runs in a module Web Worker.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
// The headers that make a page cross-origin isolated, so the wasm backend may run its threaded build.
import { CROSS_ORIGIN_ISOLATED as isolated } from '@grokking/browser-testing';

const page = (name: string) => resolve(import.meta.dirname, name);

export default defineConfig({
  base: './',
  build: {
    target: 'es2022',
    // Not minified: the wasm backend's threaded build starts its pthread workers from its factory's source text
    // (`factory.toString()` in a blob), which minified names from the enclosing bundle break ("e is not defined").
    minify: false,
    // tfjs' backends make large chunks; that is expected here.
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      input: {
        index: page('index.html'),
        grokking: page('grokking.html'),
        explorer: page('explorer.html'),
        phaseChanges: page('phase-changes.html'),
      },
    },
  },
  worker: { format: 'es' },
  server: { headers: isolated },
  preview: { headers: isolated },
});
