import type { HessianVectorOptions, Objective } from '@flood/core';
import { readScalar } from './read.js';

/**
 * Core's `hessianVectorProduct` options for many products at one `θ`: the
 * central-difference step needs `‖θ‖/√n` (`parameterRms`), which is computed
 * and read back here once instead of once per product (a pass over `θ` per
 * Lanczos step or Hutchinson probe). Options that already give it, and exact
 * products (`method: 'auto'` on an objective that offers one), are returned as
 * they are.
 */
export async function productOptions<V, S>(
  objective: Objective<V, S>,
  options: HessianVectorOptions = {},
): Promise<HessianVectorOptions> {
  if (options.parameterRms !== undefined) return options;
  if ((options.method ?? 'auto') === 'auto' && objective.hessianVectorProduct) return options;
  const space = objective.space;
  const norm = space.scope(() => {
    const theta = objective.parameters();
    const value = space.norm(theta);
    space.dispose(theta);
    return space.keep(value);
  });
  const rms = (await readScalar(space, norm)) / Math.sqrt(space.dimension);
  return { ...options, parameterRms: rms };
}
