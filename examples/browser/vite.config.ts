/**
 * Vite config of the browser example. `@flood/*` resolve to the workspace sources,
 * so `pnpm dev` works without building the packages first. The tfjs wasm binaries
 * are imported with `?url` in src/backend.ts, so Vite serves them in dev and emits
 * them (hashed) into dist/assets in the build.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const packages = resolve(here, '..', '..', 'packages');

export default defineConfig({
  base: './',
  resolve: {
    // Subpath entries first: an alias also matches `key/…`.
    alias: Object.fromEntries([
      ['@flood/tfjs/wasm', resolve(packages, 'tfjs', 'src', 'wasm', 'index.ts')],
      ...['core', 'schedulers', 'metrics', 'tfjs'].map((name) => [
        `@flood/${name}`,
        resolve(packages, name, 'src', 'index.ts'),
      ]),
    ]),
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    // The wasm binaries must stay files (setWasmPaths fetches them), never data: URLs.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2000,
  },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
});
