/**
 * Picks the TensorFlow.js backend from what the browser offers: a hardware WebGL
 * context first, then a hardware WebGPU adapter, then WebAssembly, then plain
 * JavaScript. Each candidate is tried with a timeout and a small smoke
 * computation, so a backend that hangs or fails in this browser is skipped
 * instead of stalling the page. `?backend=wasm` (or `webgl`, `webgpu`, `cpu`)
 * forces one.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/** Backends this page can run on, in order of preference. */
export const BACKENDS = ['webgl', 'webgpu', 'wasm', 'cpu'] as const;

/** One of {@link BACKENDS}. */
export type BackendName = (typeof BACKENDS)[number];

/** The outcome of {@link chooseBackend}. */
export interface BackendChoice {
  /** The backend now active. */
  name: BackendName;
  /** Why each earlier candidate was skipped, e.g. `webgl: software renderer (SwiftShader)`. */
  skipped: string[];
  /** True when the choice came from the `?backend=` override. */
  forced: boolean;
}

// The wasm binaries are emitted by Vite as assets (hashed names in the build), and
// the backend is told where each one is before it is initialised.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

/** Reads `?backend=` from a query string; undefined when absent, RangeError when unknown. */
export function backendOverride(search: string): BackendName | undefined {
  const value = new URLSearchParams(search).get('backend');
  if (value === null || value === '') return undefined;
  if ((BACKENDS as readonly string[]).includes(value)) return value as BackendName;
  throw new RangeError(`backend must be one of ${BACKENDS.join(', ')}, got '${value}'`);
}

/** The WebGL renderer string, or undefined when the browser gives no WebGL context. */
export function webglRenderer(): string | undefined {
  const canvas = document.createElement('canvas');
  const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
  if (!gl) return undefined;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return renderer;
}

/** What a WebGPU adapter says about itself (the part of `GPUAdapterInfo` read here). */
interface AdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/**
 * A description of the WebGPU adapter (`vendor architecture description`), `''`
 * when the adapter says nothing, or undefined when there is no WebGPU (no
 * `navigator.gpu`, which needs a secure context, or no adapter). Software
 * adapters are reported as `software: …`.
 */
export async function webgpuAdapter(): Promise<string | undefined> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return undefined;
  const adapter = (await gpu.requestAdapter().catch(() => null)) as {
    info?: AdapterInfo;
    isFallbackAdapter?: boolean;
  } | null;
  if (!adapter) return undefined;
  const info = adapter.info ?? {};
  const text = [info.vendor, info.architecture, info.description]
    .filter((part) => part !== undefined && part !== '')
    .join(' ');
  const fallback = info.isFallbackAdapter === true || adapter.isFallbackAdapter === true;
  return fallback ? `software: ${text}` : text;
}

/** True for renderers that draw on the CPU (no GPU behind WebGL). */
export function isSoftwareRenderer(renderer: string): boolean {
  return /swiftshader|llvmpipe|lavapipe|software|basic render/i.test(renderer);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

async function tryBackend(name: BackendName, timeoutMs: number): Promise<void> {
  const ok = await withTimeout(tf.setBackend(name), timeoutMs, `${name} initialisation`);
  if (!ok) throw new Error('failed to initialise');
  await withTimeout(tf.ready(), timeoutMs, `${name} ready`);
  // A smoke computation with a read-back: catches backends that start but cannot compute.
  const y = tf.tidy(() => tf.sum(tf.matMul(tf.ones([4, 3]), tf.ones([3, 2]))));
  const [value] = await withTimeout(y.data(), timeoutMs, `${name} smoke test`);
  y.dispose();
  if (value !== 24) throw new Error(`smoke test gave ${value}, expected 24`);
}

/**
 * Activates the first backend that works: WebGL when the renderer is hardware,
 * else WebGPU when the adapter is hardware, else WebAssembly, else CPU; or
 * exactly the one named by `?backend=`.
 *
 * @param search the page's query string (`location.search`)
 * @param timeoutMs how long each candidate may take to start (default 15 000 ms)
 */
export async function chooseBackend(search: string, timeoutMs = 15_000): Promise<BackendChoice> {
  const forced = backendOverride(search);
  const candidates: readonly BackendName[] = forced ? [forced] : BACKENDS;
  const skipped: string[] = [];
  for (const name of candidates) {
    if (name === 'webgl' && !forced) {
      const renderer = webglRenderer();
      if (renderer === undefined) {
        skipped.push('webgl: no WebGL context');
        continue;
      }
      if (isSoftwareRenderer(renderer)) {
        skipped.push(`webgl: software renderer (${renderer})`);
        continue;
      }
    }
    if (name === 'webgpu' && !forced) {
      const adapter = await webgpuAdapter();
      if (adapter === undefined) {
        skipped.push('webgpu: no WebGPU adapter');
        continue;
      }
      if (isSoftwareRenderer(adapter)) {
        skipped.push(`webgpu: software adapter (${adapter})`);
        continue;
      }
    }
    try {
      await tryBackend(name, timeoutMs);
      return { name, skipped, forced: forced !== undefined };
    } catch (error) {
      skipped.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend works here (${skipped.join('; ')})`);
}
