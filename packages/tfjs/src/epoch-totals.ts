/**
 * Per-epoch totals of what the steps did, kept on the device so that
 * `floodCallback` reads back once per epoch, not once per batch.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LastStep } from './wrapper.js';

/** The epoch's means, read back (undefined where no step reported the quantity). */
export interface EpochMeans {
  /** Committed (not refused) steps. */
  committed: number;
  /** The share of committed steps that ascended (flooding's `L < b`), Ishida et al.'s `floodProp`. */
  ascended?: number;
  /** The mean `‖∇L(θ)‖₂` over committed steps. */
  gradientNorm?: number;
}

/**
 * Device sums over an epoch's steps of `ascended`, `‖∇L(θ)‖` and of the
 * committed-step count. A refused step (non-finite, weights untouched) adds
 * zeros to all three; a step record seen twice is counted once.
 */
export class EpochTotals {
  private committed: tf.Scalar | undefined;
  private ascended: tf.Scalar | undefined;
  private gradientNorm: tf.Scalar | undefined;
  private lastSeen: LastStep | undefined;

  /** Adds `last` (no read-back: a few scalar kernels). */
  add(last: LastStep): void {
    if (last === this.lastSeen) return;
    this.lastSeen = last;
    const accumulate = (sum: tf.Scalar | undefined, x: tf.Scalar): tf.Scalar => {
      const next = tf.keep(
        tf.tidy(() => {
          const counted = tf.where(tf.cast(last.refused, 'bool'), tf.zerosLike(x), x);
          return sum ? tf.add(sum, counted) : counted;
        }) as tf.Scalar,
      );
      sum?.dispose();
      return next;
    };
    const one = tf.onesLike(last.refused);
    this.committed = accumulate(this.committed, one);
    one.dispose();
    if (last.ascended) this.ascended = accumulate(this.ascended, last.ascended);
    if (last.gradientNorm) this.gradientNorm = accumulate(this.gradientNorm, last.gradientNorm);
  }

  /** Reads the sums back and divides by the committed count (the one read-back of an epoch). */
  async means(): Promise<EpochMeans> {
    const read = async (t: tf.Scalar | undefined) => (t ? (await t.data())[0]! : undefined);
    const [committed = 0, ascended, gradientNorm] = await Promise.all(
      [this.committed, this.ascended, this.gradientNorm].map(read),
    );
    if (committed === 0) return { committed };
    return {
      committed,
      ...(ascended !== undefined ? { ascended: ascended / committed } : {}),
      ...(gradientNorm !== undefined ? { gradientNorm: gradientNorm / committed } : {}),
    };
  }

  /** Frees the sums and starts again from zero. */
  reset(): void {
    tf.dispose([this.committed ?? [], this.ascended ?? [], this.gradientNorm ?? []]);
    this.committed = this.ascended = this.gradientNorm = undefined;
  }
}
