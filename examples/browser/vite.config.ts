// The browser demo: `npm run demo:web` (dev server), `npm run demo:build`
// (static files in examples/browser/dist). The worker imports the library
// from ../../src: its kernels are embedded as base64, so no wasm plugin or
// configuration is needed.
import { defineConfig, type Plugin } from 'vite';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { ensureMnistPacked } from './pack-mnist.js';

const here = dirname(fileURLToPath(import.meta.url));
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/** Writes public/mnist.bin (generated, git-ignored) before the dev server or a build starts. */
function mnistData(): Plugin {
  return {
    name: 'wasmtorch-demo-mnist',
    configResolved(config) {
      ensureMnistPacked(join(config.publicDir || join(here, 'public'), 'mnist.bin'));
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  plugins: [mnistData()],
  worker: { format: 'es' },
  // cross-origin isolation (COOP/COEP) gives the page SharedArrayBuffer, so the library's threads can run
  server: { fs: { allow: [resolve(here, '..', '..')] }, headers: ISOLATION },
  preview: { headers: ISOLATION },
  build: { outDir: join(here, 'dist'), emptyOutDir: true, target: 'es2022' },
});
