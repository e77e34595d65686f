/**
 * The count of refused (non-finite) steps, kept on the device during training
 * and read back only at a read-back point, and the iterations those steps
 * added to the base optimizer's count, which the read takes back out.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { floodVariableName } from './pass-guards.js';
import { rewindIterations } from './tfjs-internals.js';
import type { NonFinitePolicy } from './wrapper-options.js';

/** The refused-step counts of one optimizer. */
export class RefusedSteps {
  /** Device count of refused steps (created at the first step). */
  private count: tf.Variable | undefined;
  /**
   * Device sum of `refused · (advanced − 1)` over the steps whose `advanced`
   * (how far the step moved the base optimizer's iteration count) was not 1:
   * the iterations refused steps added are `count + offset + shift`. Created at
   * the first such step (`accumulate`'s micro-batches); a step that advanced by
   * 1, the usual case, adds to `count` only.
   */
  private offset: tf.Variable | undefined;
  /** The host-side part of the iterations to take back (see `offset`). */
  private shift = 0;
  /** The count as last read back. */
  private read = 0;
  /** The iterations taken back at the last read. */
  private unwoundRead = 0;
  /** Refused steps read back but not yet reported. */
  private unreported = 0;

  /** Steps refused in total, as of the last read. */
  get total(): number {
    return this.read;
  }

  /**
   * Adds `refused` (a 0/1 device scalar) to the count, and `refused · advanced`
   * to the iterations to take back (`advanced`: how far the step moved the
   * base optimizer's iteration count): one kernel when `advanced` is 1.
   */
  add(refused: tf.Scalar, advanced: number): void {
    if (!this.count) {
      const read = this.read;
      this.count = tf.tidy(() =>
        tf.variable(tf.scalar(read, 'float32'), false, floodVariableName('refused')),
      );
      this.shift = this.unwoundRead - read;
    }
    const count = this.count;
    tf.tidy(() => {
      count.assign(tf.add(count, refused));
    });
    if (advanced === 1) return;
    this.offset ??= tf.tidy(() =>
      tf.variable(tf.scalar(0, 'float32'), false, floodVariableName('refused')),
    );
    const offset = this.offset;
    tf.tidy(() => {
      offset.assign(tf.add(offset, tf.mul(refused, advanced - 1)));
    });
  }

  /** Reads the counts back and takes the refused steps' iterations out of `optimizer`'s count. */
  async sync(optimizer: tf.Optimizer): Promise<void> {
    if (!this.count) return;
    const [count, offset] = await Promise.all([this.count.data(), this.offset?.data()]);
    this.unreported += count[0]! - this.read;
    this.read = count[0]!;
    const unwound = count[0]! + (offset?.[0] ?? 0) + this.shift;
    rewindIterations(optimizer, unwound - this.unwoundRead);
    this.unwoundRead = unwound;
  }

  /**
   * Reads the counts back ({@link RefusedSteps.sync}) and reports the steps
   * refused since the previous call and in total; under `'error'`, refused
   * steps since the previous call make it throw instead.
   */
  async check(
    name: string,
    policy: NonFinitePolicy,
    optimizer: tf.Optimizer,
  ): Promise<{ refused: number; total: number }> {
    await this.sync(optimizer);
    const refused = this.unreported;
    this.unreported = 0;
    if (refused > 0 && policy === 'error') {
      throw new Error(
        `${name}: ${refused} step(s) met a non-finite loss or gradient and were ` +
          `refused; weights and optimizer state are as before them (pass onNonFinite: 'skip' ` +
          `to skip such steps)`,
      );
    }
    return { refused, total: this.read };
  }

  /** Sets the count loaded with the optimizer's weights (nothing left to take back). */
  restore(total: number): void {
    this.read = total;
    this.unreported = 0;
    this.shift = this.unwoundRead - total;
    tf.tidy(() => {
      this.count?.assign(tf.scalar(total, 'float32'));
      this.offset?.assign(tf.scalar(0, 'float32'));
    });
  }

  /** Frees the device counts. */
  dispose(): void {
    this.count?.dispose();
    this.offset?.dispose();
  }
}
