/**
 * The count of refused (non-finite) steps, kept on the device during training
 * and read back only at a read-back point, and the iterations those steps
 * added to the base optimizer's count, which the read takes back out.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { rewindIterations } from './tfjs-internals.js';
import type { NonFinitePolicy } from './wrapper-options.js';

/** The refused-step counts of one optimizer. */
export class RefusedSteps {
  /** Device count of refused steps (created at the first step). */
  private count: tf.Variable | undefined;
  /**
   * Device count of the iterations refused steps added to the base optimizer's
   * count (one per refused step, except under `accumulate`, whose base steps
   * only when a window of micro-batches closes).
   */
  private unwound: tf.Variable | undefined;
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
   * base optimizer's iteration count).
   */
  add(refused: tf.Scalar, advanced: number): void {
    const [read, back] = [this.read, this.unwoundRead];
    this.count ??= tf.tidy(() => tf.variable(tf.scalar(read, 'float32'), false));
    this.unwound ??= tf.tidy(() => tf.variable(tf.scalar(back, 'float32'), false));
    const [count, unwound] = [this.count, this.unwound];
    tf.tidy(() => {
      count.assign(tf.add(count, refused));
      if (advanced !== 0) unwound.assign(tf.add(unwound, tf.mul(refused, advanced)));
    });
  }

  /** Reads the counts back and takes the refused steps' iterations out of `optimizer`'s count. */
  async sync(optimizer: tf.Optimizer): Promise<void> {
    if (!this.count || !this.unwound) return;
    const [count, unwound] = await Promise.all([this.count.data(), this.unwound.data()]);
    this.unreported += count[0]! - this.read;
    this.read = count[0]!;
    rewindIterations(optimizer, unwound[0]! - this.unwoundRead);
    this.unwoundRead = unwound[0]!;
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
    const [read, back] = [this.read, this.unwoundRead];
    tf.tidy(() => {
      this.count?.assign(tf.scalar(read, 'float32'));
      this.unwound?.assign(tf.scalar(back, 'float32'));
    });
  }

  /** Frees the device counts. */
  dispose(): void {
    this.count?.dispose();
    this.unwound?.dispose();
  }
}
