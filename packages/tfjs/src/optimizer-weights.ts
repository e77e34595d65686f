/**
 * A flood optimizer's own weights, saved after its base optimizer's: per
 * wrapper layer, the count of refused steps and the state of its adaptive
 * schedules (JSON as int32 code points), named `flood/<Class>/skipped` and
 * `flood/<Class>/schedules` (the layout every saved model has used).
 *
 * @module
 */
import { isAdaptiveSchedule, type ScheduleLike } from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';

/** A tensor with a name, as optimizers pass weights and gradients around. */
export interface NamedTensor {
  /** The variable's or weight's name. */
  name: string;
  /** Its value. */
  tensor: tf.Tensor;
}

function encodeJson(value: unknown): tf.Tensor {
  return tf.tensor1d(
    Array.from(JSON.stringify(value), (c) => c.codePointAt(0)!),
    'int32',
  );
}

async function decodeJson(t: tf.Tensor): Promise<unknown> {
  return JSON.parse(String.fromCodePoint(...Array.from(await t.data())));
}

/**
 * The two weights of one layer: `refused` steps, and `getState()` of every
 * adaptive schedule among `schedules` (by hyper-parameter name).
 */
export function ownWeights(
  className: string,
  refused: number,
  schedules: Record<string, ScheduleLike>,
): NamedTensor[] {
  const states: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schedules)) {
    if (isAdaptiveSchedule(value)) states[key] = value.getState();
  }
  return [
    { name: `flood/${className}/skipped`, tensor: tf.scalar(refused, 'int32') },
    { name: `flood/${className}/schedules`, tensor: encodeJson(states) },
  ];
}

/**
 * Takes one layer's two weights ({@link ownWeights}) off the end of `weights`,
 * restores its adaptive schedules' state, and returns the refused count and
 * the weights before them.
 *
 * @throws RangeError if `weights` does not end with this layer's pair.
 */
export async function readOwnWeights(
  className: string,
  weights: readonly NamedTensor[],
  schedules: Record<string, ScheduleLike>,
): Promise<{ refused: number; rest: NamedTensor[] }> {
  const [skipped, states] = weights.slice(-2);
  if (
    weights.length < 2 ||
    skipped!.name !== `flood/${className}/skipped` ||
    states!.name !== `flood/${className}/schedules`
  ) {
    throw new RangeError(
      `weights for ${className} must end with flood/${className}/skipped and flood/${className}/schedules`,
    );
  }
  const saved = (await decodeJson(states!.tensor)) as Record<string, Record<string, unknown>>;
  for (const [key, value] of Object.entries(schedules)) {
    if (isAdaptiveSchedule(value) && saved[key]) value.setState(saved[key]);
  }
  return { refused: (await skipped!.tensor.data())[0]!, rest: weights.slice(0, -2) };
}
