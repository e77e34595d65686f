/**
 * The operand-reuse scope: a span of synchronous work (one optimizer step) during
 * which a backend's kernels may keep derived copies of their operands (the wasm fast
 * matMul keeps explicit transposes) and reuse them, instead of remaking them for every
 * product. Dependency-free, so that the optimizers (`@flood/tfjs`, which open a scope
 * around each step) and the wasm kernels (`@flood/tfjs/wasm`, which keep copies only
 * while one is open) share this state without the main entry importing a backend.
 *
 * @module
 */

/** Releases what a kernel kept during the scope. */
type Release = () => void;

/** Number of scopes open (nested calls count each). */
let depth = 0;

/** What to release when the outermost scope closes, in registration order. */
const releases: Release[] = [];

/**
 * Runs `fn` with operand reuse on: while it runs, the fast wasm matMul kernels
 * (installed by `enableFastWasmTraining`) keep the explicit transpose they make of a
 * swapped product's left operand (a wide dense layer's input, the batch: `x·W` is
 * computed as `(Wᵀ·xᵀ)ᵀ`, and XNNPACK packs `xᵀ`) and reuse it, with XNNPACK's packed
 * copy, for later products of the same operand (or of a copy with the same bits).
 *
 * Why: one training step multiplies the same batch `x` several times: the forward
 * product (computed as `(Wᵀ·xᵀ)ᵀ` for a wide first layer, which transposes `x` and
 * packs `xᵀ`), the backward `dW = xᵀ·dy` (which transposes `x` again), and, in a
 * two-pass step (SAM and its variants, gradient penalty, backstitch), both of those
 * once more at the perturbed weights. Every flood optimizer opens this scope around
 * each step (also in `model.fit`); a plain `tf.train` step does not, so wrap your own
 * custom-loop step in it to get the reuse: `reusingOperands(() => opt.minimize(f))`.
 *
 * Cost: each kept transpose is a copy of its source (float32, the source's size),
 * freed as soon as a later product finds its source freed (activations die at the end
 * of a pass), and at the latest when the outermost scope closes, whether `fn` returns
 * or throws. Results are bit-identical with and without the scope (the same kernels
 * run on the same values). Outside a scope, and on other backends, nothing changes.
 *
 * Nested scopes are allowed: what is kept lives until the outermost one closes.
 *
 * @param fn - synchronous work (such as one `optimizer.minimize(…)` call).
 * @returns what `fn` returns.
 * @throws Error if `fn` returns a Promise (the scope covers synchronous work only); any
 *   error `fn` throws is rethrown after everything kept has been released.
 */
export function reusingOperands<T>(fn: () => T): T {
  depth += 1;
  let result: T;
  try {
    result = fn();
  } catch (error) {
    close();
    throw error;
  }
  // A failed release is reported only if fn returned (fn's own error comes first).
  const failure = close();
  if (failure !== undefined) throw failure.error;
  if (result instanceof Promise) {
    throw new Error(
      'reusingOperands: fn returned a Promise; the scope covers synchronous work only',
    );
  }
  return result;
}

/** Closes one scope; the outermost runs the releases and returns the first failure. */
function close(): { error: unknown } | undefined {
  depth -= 1;
  return depth === 0 ? releaseAll() : undefined;
}

/** Whether an operand-reuse scope is open (see {@link reusingOperands}). */
export function isReusingOperands(): boolean {
  return depth > 0;
}

/**
 * Registers `release` to run when the outermost open scope closes (on return or
 * error). For kernels that keep copies during a scope.
 *
 * @throws Error if no scope is open.
 */
export function onOperandReuseEnd(release: Release): void {
  if (depth === 0) throw new Error('onOperandReuseEnd: no operand-reuse scope is open');
  releases.push(release);
}

/** Runs every registered release once, even if one throws; returns the first error. */
function releaseAll(): { error: unknown } | undefined {
  let failure: { error: unknown } | undefined;
  for (const release of releases.splice(0)) {
    try {
      release();
    } catch (error) {
      failure ??= { error };
    }
  }
  return failure;
}
