import { euclideanNorm } from './norm.js';
import type { Block, ScalarOps, VectorSpace } from './space.js';
import { requireInteger } from './validate.js';

const numberOps: ScalarOps<number> = {
  of: (x) => x,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  sign: (a) => Math.sign(a),
  max: (a, b) => Math.max(a, b),
  greater: (a, b) => (a > b ? 1 : 0),
  read: async (a) => a,
};

function map2(x: Float64Array, y: Float64Array, f: (a: number, b: number) => number): Float64Array {
  if (x.length !== y.length) {
    throw new RangeError(`vector lengths differ: ${x.length} and ${y.length}`);
  }
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]!, y[i]!);
  return out;
}

/** The layout of one named block of an {@link arraySpace}. */
export interface BlockLayout {
  /** The block's name (e.g. a layer's variable name). */
  name: string;
  /** Its shape; the block holds the product of the entries (1 for `[]`). */
  shape: readonly number[];
}

/**
 * The {@link VectorSpace} of `Float64Array`s of length `dimension`, with plain
 * `number` scalars and float64 arithmetic. It is one block named `theta` unless
 * `blocks` splits it (e.g. per layer, for filter-normalised directions).
 * Memory management is a no-op.
 *
 * Every operation checks its vectors' lengths and returns a fresh array; `norm`
 * is scaled by the largest entry (like BLAS `dnrm2`) so it neither overflows nor
 * underflows; `dot` is the plain sum `Σ xᵢyᵢ` in index order.
 *
 * @param dimension - the vector length, an integer `>= 1`.
 * @param blocks - optional split into named blocks whose sizes add up to `dimension`.
 * @returns the space.
 * @throws RangeError for a bad `dimension`, block sizes that do not add up, and
 *   (from its operations) vectors of the wrong length.
 */
export function arraySpace(
  dimension: number,
  blocks?: readonly BlockLayout[],
): VectorSpace<Float64Array, number> {
  requireInteger('dimension', dimension, 1);
  const layout: Block[] = (blocks ?? [{ name: 'theta', shape: [dimension] }]).map((b) => ({
    name: b.name,
    shape: [...b.shape],
    size: b.shape.reduce((a, c) => a * c, 1),
  }));
  const total = layout.reduce((a, b) => a + b.size, 0);
  if (total !== dimension) {
    throw new RangeError(`blocks must add up to dimension ${dimension}, got ${total}`);
  }
  const check = (x: Float64Array): Float64Array => {
    if (x.length !== dimension) {
      throw new RangeError(`vector must have length ${dimension}, got ${x.length}`);
    }
    return x;
  };
  return {
    blocks: layout,
    dimension,
    machineEpsilon: 2 ** -52,
    scalar: numberOps,
    axpby: (a, x, b, y) => map2(check(x), check(y), (p, q) => a * p + b * q),
    scale: (x, a) => check(x).map((v) => a * v),
    add: (x, y) => map2(check(x), check(y), (p, q) => p + q),
    sub: (x, y) => map2(check(x), check(y), (p, q) => p - q),
    mul: (x, y) => map2(check(x), check(y), (p, q) => p * q),
    absPlus: (x, c) => check(x).map((v) => Math.abs(v) + c),
    dot: (x, y) => {
      check(x);
      check(y);
      let s = 0;
      for (let i = 0; i < dimension; i++) s += x[i]! * y[i]!;
      return s;
    },
    norm: (x) => euclideanNorm(check(x)),
    zeros: () => new Float64Array(dimension),
    clone: (x) => Float64Array.from(check(x)),
    dispose: () => {},
    scope: (fn) => fn(),
    keep: (v) => v,
    toArrays: async (x) => {
      check(x);
      const out: Float64Array[] = [];
      let offset = 0;
      for (const b of layout) {
        out.push(x.slice(offset, offset + b.size));
        offset += b.size;
      }
      return out;
    },
    fromArrays: (parts) => {
      if (parts.length !== layout.length) {
        throw new RangeError(`expected ${layout.length} blocks, got ${parts.length}`);
      }
      const out = new Float64Array(dimension);
      let offset = 0;
      parts.forEach((p, i) => {
        if (p.length !== layout[i]!.size) {
          throw new RangeError(
            `block ${layout[i]!.name} must have ${layout[i]!.size} entries, got ${p.length}`,
          );
        }
        out.set(p, offset);
        offset += p.length;
      });
      return out;
    },
  };
}
