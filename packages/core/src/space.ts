/**
 * The arithmetic every algorithm in flood is written against.
 *
 * A `VectorSpace<V, S>` does linear algebra on parameter-shaped vectors `V`
 * (a `Float64Array` in {@link arraySpace}, a list of tensors in `@flood/tfjs`)
 * and on scalars `S` (a JS `number`, or a device scalar). Keeping scalars
 * abstract lets an optimizer step run without a single device-to-host read-back:
 * norms, dot products and the flooding sign stay on the device.
 *
 * **Ownership.** Every operation returns a fresh value owned by the caller and
 * never consumes its inputs. Free values with {@link VectorSpace.dispose}, or run
 * a computation inside {@link VectorSpace.scope}, which frees everything made
 * inside it except what it returns. For plain arrays both are no-ops.
 *
 * @module
 */

/** A block of the parameter vector: one variable (a weight matrix, a bias, …). */
export interface Block {
  /** The variable's name (unique within the space). */
  readonly name: string;
  /** Its shape; `[]` for a scalar parameter. */
  readonly shape: readonly number[];
  /** Number of entries (the product of `shape`). */
  readonly size: number;
}

/**
 * Arithmetic on scalars `S`. Arguments accept plain numbers too, so rules can
 * write `s.div(rho, s.add(norm, 1e-12))`.
 */
export interface ScalarOps<S> {
  /** A scalar holding `x`. */
  of(x: number): S;
  /** `a + b`. */
  add(a: S | number, b: S | number): S;
  /** `a − b`. */
  sub(a: S | number, b: S | number): S;
  /** `a · b`. */
  mul(a: S | number, b: S | number): S;
  /** `a / b` (IEEE semantics: `x/0 = ±∞`, `0/0 = NaN`). */
  div(a: S | number, b: S | number): S;
  /** `sign(a)` ∈ {−1, 0, 1}. */
  sign(a: S | number): S;
  /** `max(a, b)`. */
  max(a: S | number, b: S | number): S;
  /** `1` if `a > b`, else `0`. */
  greater(a: S | number, b: S | number): S;
  /** Reads the value to the host (a device read-back for device scalars). */
  read(a: S): Promise<number>;
}

/** Linear algebra on parameter-shaped vectors `V` with scalars `S`. */
export interface VectorSpace<V, S = number> {
  /** The blocks (variables) a vector is made of, in a fixed order. */
  readonly blocks: readonly Block[];
  /** Total number of entries, the sum of the blocks' sizes. */
  readonly dimension: number;
  /**
   * Unit round-off of the arithmetic, used to choose finite-difference steps:
   * `2⁻⁵²` for float64, `2⁻²³` for float32.
   */
  readonly machineEpsilon: number;
  /** Scalar arithmetic. */
  readonly scalar: ScalarOps<S>;

  /** `a·x + b·y`. */
  axpby(a: S | number, x: V, b: S | number, y: V): V;
  /** `a·x`. */
  scale(x: V, a: S | number): V;
  /** `x + y`. */
  add(x: V, y: V): V;
  /** `x − y`. */
  sub(x: V, y: V): V;
  /** Elementwise `x ⊙ y`. */
  mul(x: V, y: V): V;
  /** Elementwise `|x| + c`. */
  absPlus(x: V, c: number): V;
  /** `⟨x, y⟩`. */
  dot(x: V, y: V): S;
  /** `‖x‖₂`. */
  norm(x: V): S;
  /** The zero vector. */
  zeros(): V;
  /** A copy of `x`. */
  clone(x: V): V;

  /** Frees values (no-op for host values). `undefined` entries are ignored. */
  dispose(...values: (V | S | undefined)[]): void;
  /**
   * Runs `fn` in a memory scope: everything allocated inside and not part of
   * its return value is freed when it returns or throws.
   */
  scope<T>(fn: () => T): T;
  /** Marks a value made inside a {@link VectorSpace.scope} to survive it. */
  keep<T extends V | S>(value: T): T;

  /** Copies a vector to the host, one `Float64Array` per block (in `blocks` order). */
  toArrays(x: V): Promise<Float64Array[]>;
  /** Makes a vector from host arrays, one per block (in `blocks` order). */
  fromArrays(blocks: readonly Float64Array[]): V;
}
