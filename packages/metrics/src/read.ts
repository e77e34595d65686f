import type { VectorSpace } from '@flood/core';

/** Reads a scalar to the host and frees it (a no-op free for plain numbers). */
export async function readScalar<V, S>(space: VectorSpace<V, S>, value: S): Promise<number> {
  try {
    return await space.scalar.read(value);
  } finally {
    space.dispose(value);
  }
}

/** `‖a‖₂` of a host array, scaled against overflow (like BLAS `dnrm2`). */
export function hostNorm(a: Float64Array): number {
  let scale = 0;
  for (const x of a) scale = Math.max(scale, Math.abs(x));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let sum = 0;
  for (const x of a) sum += (x / scale) ** 2;
  return scale * Math.sqrt(sum);
}
