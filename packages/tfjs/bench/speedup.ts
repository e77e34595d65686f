/** The effect of `enableFastWasmTraining` on a full training step. */
import { enableFastWasmTraining } from '@flood/tfjs/wasm';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Mlp } from './mlp.js';
import type { TimedTask } from './timing.js';

/**
 * A plain SGD step on `model` (tfjs-core ops: `matMul` + bias + ReLU) and on a
 * tfjs-layers copy of it (Dense ReLU, then a linear Dense, as in the demo), each
 * timed with the stock wasm kernels and with {@link enableFastWasmTraining} on.
 */
export function speedupTasks(model: Mlp): { tasks: TimedTask[]; dispose: () => void } {
  const [inputs, ...rest] = model.sizes;
  const layers = tfl.sequential();
  rest.forEach((units, i) => {
    layers.add(
      tfl.layers.dense({
        units,
        activation: i + 1 < rest.length ? 'relu' : 'linear',
        ...(i === 0 ? { inputShape: [inputs!] } : {}),
      }),
    );
  });
  const x = tf.randomUniform([model.batch, inputs!], 0, 1, 'float32', 11);
  const layerVars = layers.trainableWeights.map((w) => w.read() as tf.Variable);
  const sgd = tf.train.sgd(0.01);
  const coreStep = () => {
    sgd.minimize(() => model.loss(), false, model.variables);
  };
  const layersStep = () => {
    sgd.minimize(
      () => tf.losses.softmaxCrossEntropy(model.y, layers.apply(x) as tf.Tensor) as tf.Scalar,
      false,
      layerVars,
    );
  };
  let undo: (() => void) | undefined;
  const fast = {
    before: () => {
      undo = enableFastWasmTraining();
    },
    after: () => {
      undo?.();
      undo = undefined;
    },
  };
  const tasks: TimedTask[] = [
    { name: 'core step, stock kernels', fn: coreStep },
    { name: 'core step, fast', fn: coreStep, ...fast },
    { name: 'layers step, stock kernels', fn: layersStep },
    { name: 'layers step, fast', fn: layersStep, ...fast },
  ];
  return {
    tasks,
    dispose: () => {
      sgd.dispose();
      layers.dispose();
      x.dispose();
    },
  };
}
