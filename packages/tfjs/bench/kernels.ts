/** What a step asks of the backend: kernel launches and elements written, from tf.profile. */
import * as tf from '@tensorflow/tfjs-core';

/** The kernel-level footprint of one call. */
export interface KernelAccount {
  /** Kernel launches (each costs a fixed engine overhead besides its work). */
  kernels: number;
  /**
   * Elements written by all kernels, in units of the model's parameter count
   * (`Reshape` outputs not counted: an alias of its input on cpu, wasm and webgl).
   */
  elementsPerParameter: number;
  /** Launches per kernel name. */
  byKernel: Record<string, number>;
}

/** Profiles one call of `fn` (load-independent counts; no timing). */
export async function kernelAccount(fn: () => void, parameters: number): Promise<KernelAccount> {
  const profile = await tf.profile(fn);
  const byKernel: Record<string, number> = {};
  let elements = 0;
  for (const k of profile.kernels) {
    byKernel[k.name] = (byKernel[k.name] ?? 0) + 1;
    if (k.name === 'Reshape') continue;
    for (const shape of k.outputShapes) elements += shape.reduce((p, d) => p * d, 1);
  }
  return {
    kernels: profile.kernels.length,
    elementsPerParameter: elements / parameters,
    byKernel,
  };
}

/** `name+n`/`name−n` for every kernel whose launch count differs from `reference`'s. */
export function kernelDiff(account: KernelAccount, reference: KernelAccount): string {
  const names = new Set([...Object.keys(account.byKernel), ...Object.keys(reference.byKernel)]);
  return [...names]
    .map((name) => [name, (account.byKernel[name] ?? 0) - (reference.byKernel[name] ?? 0)] as const)
    .filter(([, d]) => d !== 0)
    .sort((a, b) => b[1] - a[1])
    .map(([name, d]) => `${name}${d > 0 ? '+' : '−'}${Math.abs(d)}`)
    .join(' ');
}
