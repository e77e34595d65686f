/**
 * What has to be guarded when a loss closure is evaluated more than once per step:
 * the randomness it draws (dropout masks), the non-trainable state it updates
 * (BatchNorm moving statistics) and the tensors it `tf.keep`s (tfjs-layers'
 * metric values).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * Records the `Math.random()` values drawn by one evaluation and replays them in
 * later ones. tfjs seeds every unseeded random op (`tf.dropout`,
 * `tf.randomUniform`, tfjs-layers `Dropout`) from `Math.random()`, so replaying
 * the draws gives the probe pass the same dropout masks as the first pass (what
 * Kaldi's backstitch does by re-seeding). Once the recorded draws run out, fresh
 * ones are used.
 */
export class RandomTape {
  private readonly values: number[] = [];
  private recorded = false;

  /** Runs `fn`, recording its draws the first time and replaying them afterwards. */
  run<T>(fn: () => T): T {
    const original = Math.random;
    if (!this.recorded) {
      this.recorded = true;
      const values = this.values;
      Math.random = () => {
        const v = original();
        values[values.length] = v;
        return v;
      };
    } else {
      let i = 0;
      const values = this.values;
      Math.random = () => (i < values.length ? values[i++]! : original());
    }
    try {
      return fn();
    } finally {
      Math.random = original;
    }
  }
}

/**
 * A tensor sharing `x`'s buffer (refcounted), so keeping it costs no memory and
 * `variable.assign(alias)` restores the variable bit-exactly. Not `x.clone()`:
 * tfjs-backend-wasm's `Identity` kernel allocates and copies (cpu's aliases);
 * a same-shape `reshape` is an alias on the cpu, wasm and webgl backends.
 */
export function alias<T extends tf.Tensor>(x: T): T {
  return tf.reshape(x, x.shape) as T;
}

/**
 * Snapshots every registered non-trainable variable (BatchNorm moving mean and
 * variance, frozen weights, optimizer slots): each backup is a refcounted
 * {@link alias}, not a copy, so this is cheap. `restore()` puts back bit-exactly the
 * values of the variables that were reassigned, then frees the backups.
 */
export function snapshotNonTrainable(): () => void {
  const variables = Object.values(tf.engine().registeredVariables).filter((v) => !v.trainable);
  const backups = variables.map((v) => tf.keep(alias(v)));
  return () => {
    variables.forEach((v, i) => {
      const b = backups[i]!;
      if (!v.isDisposed && v.dataId !== b.dataId) v.assign(b);
    });
    tf.dispose(backups);
  };
}

/**
 * Runs `fn` so that a tensor it `tf.keep`s and *immediately* pushes onto an
 * array is released instead (un-kept, so the enclosing `tidy` frees it) and is
 * not pushed.
 *
 * Why: tfjs-layers' training closure computes every metric, then runs
 * `tfc.keep(metric); metricsValues.push(metric)`, and the train function returns
 * that array. A second evaluation of the closure (a probe pass) would leak one
 * kept scalar per metric per step and make `trainOnBatch` return
 * `[loss, acc, acc]`. The engine's own `keep`s (tensors saved for backprop) are
 * never followed by a push of the same tensor, so they are untouched. Both
 * patches (`engine.keep`, `Array.prototype.push`) are removed when `fn` returns
 * or throws; the pass is synchronous, so nothing else runs meanwhile.
 */
export function releasingKeeps<T>(fn: () => T): T {
  const engine = tf.engine();
  const ownKeep = Object.getOwnPropertyDescriptor(engine, 'keep');
  const originalKeep = engine.keep;
  const originalPush = Array.prototype.push;
  let pending: tf.Tensor | undefined;
  // Installed by `keep` and removed by the very next push, so every other push
  // runs at full speed.
  const dropOnce = function (this: unknown[], ...items: unknown[]): number {
    Array.prototype.push = originalPush;
    const kept = pending;
    pending = undefined;
    if (items.length === 1 && items[0] === kept && kept !== undefined) {
      kept.kept = false;
      return this.length;
    }
    return originalPush.apply(this, items);
  };
  engine.keep = function <R extends tf.Tensor>(this: unknown, t: R): R {
    const out = originalKeep.call(engine, t) as R;
    pending = t;
    Array.prototype.push = dropOnce;
    return out;
  };
  try {
    return fn();
  } finally {
    Array.prototype.push = originalPush;
    if (ownKeep) Object.defineProperty(engine, 'keep', ownKeep);
    else delete (engine as { keep?: unknown }).keep;
  }
}
