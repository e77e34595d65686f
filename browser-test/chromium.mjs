/**
 * Headless Chromium as every browser run of this repository launches it: the
 * browser suite (`browser-test/vitest.config.ts`), the browser bench
 * (`browser-test/bench.mjs`) and the browser example's end-to-end test
 * (`examples/browser/e2e/run.mjs`).
 *
 * Debian's chromium (`/usr/bin/chromium`, or `CHROMIUM_PATH`); nothing is
 * downloaded. There is no GPU on the CI machines: WebGL and WebGPU run on
 * SwiftShader (the GPU emulated on the CPU), and WebGPU needs the unsafe
 * SwiftShader adapter flags below and a secure context (pages are served from
 * http://127.0.0.1).
 *
 * @module
 */

/** The Chromium executable: `CHROMIUM_PATH`, else Debian's. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launch flags: quiet, no network beyond loopback, WebGPU on SwiftShader. */
export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-webgpu-adapter=swiftshader',
  '--enable-unsafe-swiftshader',
]);

/** `chromium.launch(…)` options of the scripts that launch it themselves (bench, e2e). */
export const CHROMIUM_LAUNCH_OPTIONS = Object.freeze({
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: [...CHROMIUM_ARGS],
});
