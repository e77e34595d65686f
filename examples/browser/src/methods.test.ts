import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { floodSetup, type MethodName, perSampleLogistic } from './methods.js';
import { createMlp, disposeMlp, logisticLoss, logits } from './model.js';

const x = tf.tensor2d([
  [0.5, -1],
  [1.2, 0.3],
  [-0.7, 0.9],
  [0.1, 1.5],
]);
const y = tf.tensor2d([[1], [0], [0], [1]]);

async function snapshot(vars: tf.Variable[]): Promise<Float32Array[]> {
  return Promise.all(vars.map(async (v) => (await v.data()) as Float32Array));
}

/**
 * Oracle: the first step of SGD with momentum 0.9 at lr 0.05 is θ − 0.05·g (the
 * accumulator starts at 0), and flooding multiplies g by sign(L − b). Gradients here
 * come from tf.variableGrads on the plain loss, not from the code under test.
 */
async function expectedFirstStep(
  level: number,
): Promise<{ after: Float32Array[]; ascend: boolean }> {
  const model = createMlp({ seed: 11 });
  const { value, grads } = tf.variableGrads(() => logisticLoss(model, x, y), model.variables);
  const loss = (await value.data())[0]!;
  const sign = Math.sign(loss - level);
  const before = await snapshot(model.variables);
  const after = await Promise.all(
    model.variables.map(async (v, i) => {
      const g = (await grads[v.name]!.data()) as Float32Array;
      return before[i]!.map((t, k) => t - 0.05 * sign * g[k]!);
    }),
  );
  tf.dispose([value, ...Object.values(grads)]);
  disposeMlp(model);
  return { after, ascend: loss < level };
}

describe('floodSetup', () => {
  // The initial loss of this model on these points is about 0.76: b = 0.3 descends, b = 2 ascends.
  for (const method of ['flooding', 'floodLoss'] as MethodName[]) {
    for (const level of [0.3, 2]) {
      it(`${method} at b = ${level} takes the step θ − lr·sign(L − b)·∇L and reports it`, async () => {
        const expected = await expectedFirstStep(level);
        const before = tf.memory().numTensors;
        const model = createMlp({ seed: 11 });
        const setup = floodSetup('sgd', method, level);
        const stepLoss = logisticLoss(model, x, y);
        setup.optimizer.minimize(() => setup.objective(model, x, y), false, model.variables);
        const ascended = setup.ascended!(stepLoss);
        expect((await ascended.data())[0]).toBe(expected.ascend ? 1 : 0);
        const after = await snapshot(model.variables);
        for (const [i, values] of after.entries()) {
          for (const [k, v] of values.entries()) expect(v).toBeCloseTo(expected.after[i]![k]!, 5);
        }
        tf.dispose([stepLoss, ascended]);
        setup.optimizer.dispose();
        disposeMlp(model);
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  }

  it('iflood minimises mean_i(|l_i − b| + b), checked against per-sample losses by hand', async () => {
    const model = createMlp({ seed: 5 });
    const level = 0.7;
    const setup = floodSetup('adam', 'iflood', level);
    const objective = setup.objective(model, x, y);
    const z = logits(model, x);
    const zs = (await z.data()) as Float32Array;
    // per-sample logistic loss in closed form: softplus(−z) for y = 1, softplus(z) for y = 0
    const labels = [1, 0, 0, 1];
    const softplus = (t: number) => Math.log1p(Math.exp(t));
    const losses = Array.from(zs, (t, i) => (labels[i] === 1 ? softplus(-t) : softplus(t)));
    const expected = losses.reduce((s, l) => s + Math.abs(l - level) + level, 0) / losses.length;
    expect((await objective.data())[0]).toBeCloseTo(expected, 5);
    const perSample = perSampleLogistic(y, z);
    expect(perSample.shape).toEqual([4]);
    for (const [i, l] of (await perSample.data()).entries()) expect(l).toBeCloseTo(losses[i]!, 5);
    tf.dispose([objective, z, perSample]);
    setup.optimizer.dispose();
    disposeMlp(model);
  });
});
