/**
 * What has to be guarded when a loss closure is evaluated more than once per
 * step: the randomness it draws (dropout masks), the non-trainable state it
 * updates (BatchNorm moving statistics) and the tensors it `tf.keep`s
 * (tfjs-layers' metric values). None of the guards modifies a built-in
 * (`Array.prototype`, `Object.prototype`, `Math`) or a tfjs prototype or engine
 * method: a modified built-in prototype makes V8 drop fast paths for the whole
 * process, for good (docs/benchmarks.md, "Plain steps after wrapper steps").
 * What they read or write of tfjs is in `tfjs-internals.ts`.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { fittingModels } from './fit-models.js';
import {
  keptBy,
  shareBuffer,
  unseededDropoutLayers,
  withDropoutSeeds,
  withoutMetrics,
} from './tfjs-internals.js';

/**
 * A tensor sharing `x`'s buffer (refcounted), so keeping it costs no memory and
 * `variable.assign(alias)` restores the variable bit-exactly. Not `x.clone()`:
 * tfjs-backend-wasm's `Identity` kernel allocates and copies. Not a same-shape
 * `tf.reshape` either (an alias too, but one kernel launch each): made by
 * {@link shareBuffer} without a kernel.
 */
export function alias<T extends tf.Tensor>(x: T): T {
  return shareBuffer(x);
}

/**
 * The name prefix of the variables flood keeps for itself (the refused-step
 * counts, a stateful rule's state `flood/<Class>/<key>/<i>`): written only by
 * the step's commit, never by a loss closure, so a probe pass does not guard them.
 */
export const FLOOD_VARIABLE_PREFIX = 'flood/';

/** How many names {@link floodVariableName} has handed out. */
let named = 0;

/**
 * A fresh variable name `flood/<stem>/<n>` under {@link FLOOD_VARIABLE_PREFIX}
 * (so probe passes leave the variable alone), skipping names already
 * registered (by another copy of this module, say): the refused-step counts,
 * a rule's state, `accumulate`'s sums.
 */
export function floodVariableName(stem: string): string {
  const taken = tf.engine().registeredVariables;
  let name: string;
  do name = `${FLOOD_VARIABLE_PREFIX}${stem}/${named++}`;
  while (name in taken);
  return name;
}

/**
 * Runs `fn` and then puts back, bit-exactly, every registered non-trainable
 * variable (BatchNorm moving mean and variance, frozen weights, a counter the
 * loss writes) that `fn` reassigned. Before `fn`, each one gets a refcounted
 * {@link alias} (no copy and no kernel: the same buffer, one more reference);
 * afterwards those whose buffer changed are assigned their alias back. So a
 * non-trainable variable `fn` does not write (another model's state, another
 * optimizer's slots) costs a few host operations, no kernel launch.
 * Variables created or disposed by `fn` are left alone, and so are those in
 * `skip` (variables the pass cannot write, such as the base optimizer's slots)
 * and flood's own (named {@link FLOOD_VARIABLE_PREFIX}…).
 */
export function restoringNonTrainable<T>(fn: () => T, skip?: ReadonlySet<tf.Variable>): T {
  const saved = Object.values(tf.engine().registeredVariables)
    .filter((v) => !v.trainable && !skip?.has(v) && !v.name.startsWith(FLOOD_VARIABLE_PREFIX))
    .map((v) => ({ v, backup: tf.keep(alias(v)) }));
  try {
    return fn();
  } finally {
    for (const { v, backup } of saved) {
      if (!v.isDisposed && v.dataId !== backup.dataId) v.assign(backup);
    }
    tf.dispose(saved.map((s) => s.backup));
  }
}

/**
 * Why a probe pass refused a closure that keeps tensors: `trainOnBatch` of a
 * model compiled with metrics runs no callback, so the model (whose metrics a
 * probe pass would switch off) is unknown, and its closure would return each
 * metric twice.
 */
export const KEPT_IN_PROBE =
  'the loss closure tf.keep()s tensors, and a probe pass (a second evaluation in the same ' +
  'step) would keep and return them again. tfjs-layers trainOnBatch with compiled metrics ' +
  'does this: use model.fit(x, y, { batchSize, epochs: 1 }) (its metrics work), compile ' +
  'without metrics, or keep nothing in a custom loss closure';

/**
 * The loss closure of an objective whose probe passes refuse kept tensors:
 * outside a probe pass (`probing()` false) it runs `loss` and notes what it
 * `tf.keep`s; in a probe pass it throws if `loss` keeps anything, after freeing
 * those tensors and the ones the earlier passes of the objective kept (the
 * step fails, so nothing would return them: `trainOnBatch` leaks no metric).
 * Kept values of a second evaluation would leak or be returned twice. In
 * `model.fit` the probe pass runs without the model's metrics
 * ({@link passGuard}), so tfjs-layers' closure keeps nothing there.
 */
export function refusingKeeps(loss: () => tf.Scalar, probing: () => boolean): () => tf.Scalar {
  const earlier: tf.Tensor[] = [];
  return () => {
    const { result, kept } = keptBy(loss);
    if (!probing()) {
      earlier.push(...kept);
      return result;
    }
    if (kept.length > 0) {
      tf.dispose([...kept, ...earlier, result]);
      throw new Error(KEPT_IN_PROBE);
    }
    return result;
  };
}

/** Runs one pass of a step under the step's guards (`probe`: a pass after the first). */
export type PassGuard = <T>(fn: () => T, probe: boolean) => T;

/**
 * Guards for the passes of an objective over the tfjs-layers models whose
 * `fit` or `fitDataset` is running when a pass starts (`fit-models.ts`):
 * - `sameRandomness`: every unseeded `Dropout` layer of these models gets a
 *   seed, drawn at its first pass and kept for the objective's life, in every
 *   pass; the optimizers make one objective per step, so all passes of a step
 *   draw the same masks and the next step new ones;
 * - `silenceMetrics`: probe passes compute none of these models' metrics (the
 *   first pass computes them, and `fit` logs those).
 * Unseeded random ops elsewhere (`tf.dropout` in a custom loss, `trainOnBatch`,
 * whose model is unknown) draw anew in every pass: tfjs seeds them from
 * `Math.random()` inside the op, with no kernel or engine hook in between, and
 * replacing `Math.random` is what this module must not do. A custom loss gets
 * equal masks by passing a seed that changes per step, e.g.
 * `tf.dropout(x, rate, undefined, optimizer.iterations)`.
 */
export function passGuard(options: {
  sameRandomness: boolean;
  silenceMetrics: boolean;
}): PassGuard {
  const seeds = new Map<object, number>();
  const seedOf = (layer: object): number => {
    let s = seeds.get(layer);
    if (s === undefined) {
      s = Math.floor(Math.random() * 2 ** 31);
      seeds.set(layer, s);
    }
    return s;
  };
  return <T>(fn: () => T, probe: boolean): T => {
    const models = fittingModels();
    if (models.length === 0) return fn();
    const quiet = probe && options.silenceMetrics ? () => withoutMetrics(models, fn) : fn;
    const dropout = options.sameRandomness ? unseededDropoutLayers(models) : [];
    return dropout.length > 0 ? withDropoutSeeds(dropout, seedOf, quiet) : quiet();
  };
}
