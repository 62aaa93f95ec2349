// One multi-page app: the gallery index and one page per example. Training runs in a module Web Worker.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const page = (name: string) => resolve(import.meta.dirname, name);

export default defineConfig({
  base: './',
  build: {
    target: 'es2022',
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
});
