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
 * Runs `fn` and then puts back, bit-exactly, every non-trainable variable
 * (BatchNorm moving mean and variance, frozen weights, optimizer slots) that
 * `fn` reassigned. While `fn` runs, `assign` of the registered variables' class
 * is wrapped to take a refcounted {@link alias} (not a copy) of a non-trainable
 * variable's value just before its first assignment, so the cost grows with the
 * variables the pass writes (the two moving statistics of each BatchNorm
 * layer), not with every variable in the engine (every optimizer's slots). The
 * wrap is removed when `fn` returns or throws (the pass is synchronous). Each
 * distinct class of the registered variables is wrapped, so a second copy of
 * tfjs-core (two `tf.Variable` classes sharing one engine) is covered too.
 */
export function restoringNonTrainable<T>(fn: () => T): T {
  const prototypes = new Set<{ assign(value: tf.Tensor): void }>();
  for (const v of Object.values(tf.engine().registeredVariables)) {
    prototypes.add(Object.getPrototypeOf(v));
  }
  prototypes.add(tf.Variable.prototype);
  const backups = new Map<tf.Variable, tf.Tensor>();
  const originals = [...prototypes].map((proto) => {
    const own = Object.getOwnPropertyDescriptor(proto, 'assign');
    const original = proto.assign;
    proto.assign = function (this: tf.Variable, value: tf.Tensor): void {
      if (!this.trainable && !backups.has(this)) backups.set(this, tf.keep(alias(this)));
      original.call(this, value);
    };
    return { proto, own };
  });
  try {
    return fn();
  } finally {
    for (const { proto, own } of originals) {
      if (own) Object.defineProperty(proto, 'assign', own);
      else delete (proto as { assign?: unknown }).assign;
    }
    for (const [v, backup] of backups) {
      if (!v.isDisposed && v.dataId !== backup.dataId) v.assign(backup);
    }
    tf.dispose([...backups.values()]);
  }
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
