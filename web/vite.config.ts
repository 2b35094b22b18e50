/**
 * Vite config of the page (issue 12). `npm run web` serves it, `npm run build:web` writes web/dist.
 * The page imports the library's browser-safe layers from ../src. Until the WAV codec moves to
 * src/audio/ (issue 13/14), src/io/wav.ts is imported for its byte-level functions; its node:fs /
 * node:path imports resolve to a stub that throws if ever called.
 */
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const stub = fileURLToPath(new URL('./src/nodeStub.ts', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  publicDir: 'public',
  resolve: { alias: { 'node:fs': stub, 'node:path': stub } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', strictPort: false },
  preview: { host: '127.0.0.1' },
});
