/**
 * The browser suite: the library's key tests (browser-test/*.test.ts) in real
 * headless Chromium (Debian's, /usr/bin/chromium; nothing is downloaded) through
 * Vitest's browser mode and playwright, once per GPU backend of TensorFlow.js:
 * `browser [webgl]` and `browser [webgpu]`. Without a GPU, Chromium renders
 * both on SwiftShader (the GPU emulated on the CPU). WebGPU needs the unsafe
 * SwiftShader adapter flags and a secure context, so the page is served from
 * http://127.0.0.1.
 *
 *   pnpm test:browser                                   # both backends
 *   pnpm test:browser --project 'browser [webgpu]'      # one
 *
 * `@flood/*` resolve to the TypeScript sources, as in the root config.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '..');

const alias = Object.fromEntries(
  ['core', 'schedulers', 'metrics', 'tfjs'].map((name) => [
    `@flood/${name}`,
    resolve(root, 'packages', name, 'src', 'index.ts'),
  ]),
);

/** The backends under test, one Vitest project (and one Chromium) each. */
export const BACKENDS = ['webgl', 'webgpu'] as const;

function project(backend: (typeof BACKENDS)[number]): TestProjectInlineConfiguration {
  return {
    root: here,
    resolve: { alias },
    test: {
      name: `browser [${backend}]`,
      include: ['*.test.ts'],
      provide: { backend },
      setupFiles: [resolve(here, 'setup.ts')],
      // One page per backend, its files in turn in the same module graph: tfjs
      // and its compiled shaders are shared by every file (SwiftShader compiles
      // slowly), and SwiftShader already keeps the cores busy.
      fileParallelism: false,
      isolate: false,
      testTimeout: 120_000,
      hookTimeout: 120_000,
      browser: {
        enabled: true,
        headless: true,
        screenshotFailures: false,
        api: { host: '127.0.0.1' },
        provider: playwright({
          launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] },
        }),
        instances: [{ browser: 'chromium' }],
      },
    },
  };
}

export default defineConfig({
  test: {
    projects: BACKENDS.map(project),
    // Two cores: the two projects (browsers) side by side.
    maxWorkers: 2,
  },
});
