import type { VectorSpace } from '@flood/core';

/** Reads a scalar to the host and frees it (a no-op free for plain numbers). */
export async function readScalar<V, S>(space: VectorSpace<V, S>, value: S): Promise<number> {
  try {
    return await space.scalar.read(value);
  } finally {
    space.dispose(value);
  }
}
