/**
 * The convnet benchmark model (the tfjs-examples MNIST convnet's shape, in
 * tfjs-layers) and the training kernels @flood/tfjs/wasm adds, timed alone.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { classifierBench, type Mlp } from './mlp.js';
import type { TimedTask } from './timing.js';

/** Layer sizes of the convnet (for the report). */
export const CONVNET = {
  name: 'convnet 28×28×1: conv 5×5×8 → pool → conv 5×5×16 → pool → dropout → dense 10',
  input: [28, 28, 1],
  classes: 10,
} as const;

/**
 * conv2d(8, 5×5, relu) → maxPool(2) → conv2d(16, 5×5, relu) → maxPool(2) → flatten
 * → dropout(0.25, seeded) → dense(10) on a seeded random batch, as the {@link Mlp}
 * interface the optimizer steps use (`sizes` is empty: not an MLP).
 */
export function createConvnet(batch: number, seed = 1): Mlp {
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [...CONVNET.input],
        kernelSize: 5,
        filters: 8,
        activation: 'relu',
        kernelInitializer: tfl.initializers.heNormal({ seed }),
      }),
      tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tfl.layers.conv2d({
        kernelSize: 5,
        filters: 16,
        activation: 'relu',
        kernelInitializer: tfl.initializers.heNormal({ seed: seed + 1 }),
      }),
      tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dropout({ rate: 0.25, seed: seed + 2 }),
      tfl.layers.dense({
        units: CONVNET.classes,
        kernelInitializer: tfl.initializers.glorotNormal({ seed: seed + 3 }),
      }),
    ],
  });
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const x = tf.randomUniform([batch, ...CONVNET.input], 0, 1, 'float32', seed + 100);
  const y = tf.tidy(() =>
    tf.oneHot(tf.randomUniform([batch], 0, CONVNET.classes, 'int32', seed + 101), CONVNET.classes),
  );
  const logits = () => model.apply(x, { training: true }) as tf.Tensor;
  return classifierBench({
    name: 'convnet 8-16 (tfjs-examples MNIST shape)',
    sizes: [],
    batch,
    variables,
    logits,
    y,
    dispose: () => {
      model.dispose();
      tf.dispose([x, y]);
    },
  });
}

/** A kernel call to time: the tensors it needs and the call. */
interface KernelCase {
  name: string;
  inputs: () => Record<string, tf.Tensor>;
  run: (inputs: Record<string, tf.Tensor>) => tf.Tensor;
}

const random = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, 'float32', seed);

/** The added kernels at the sizes the convnet and a small embedding model use. */
function kernelCases(batch: number): KernelCase[] {
  const filterGradient = (x: number[], dy: number[], filter: number[]): KernelCase => ({
    name: `Conv2DBackpropFilter x [${x}] → [${filter}]`,
    inputs: () => ({ x: random(x, 1), dy: random(dy, 2) }),
    run: ({ x: xs, dy: dys }) =>
      tf.engine().runKernel(
        'Conv2DBackpropFilter',
        { x: xs!, dy: dys! },
        {
          strides: [1, 1],
          pad: 'valid',
          dataFormat: 'NHWC',
          filterShape: filter,
        },
      ) as tf.Tensor,
  });
  return [
    filterGradient([batch, 28, 28, 1], [batch, 24, 24, 8], [5, 5, 1, 8]),
    filterGradient([batch, 12, 12, 8], [batch, 8, 8, 16], [5, 5, 8, 16]),
    {
      name: `DepthwiseConv2dNativeBackpropFilter x [${batch},28,28,16] 3×3, same`,
      inputs: () => ({ x: random([batch, 28, 28, 16], 3), dy: random([batch, 28, 28, 16], 4) }),
      run: ({ x, dy }) =>
        tf.engine().runKernel(
          'DepthwiseConv2dNativeBackpropFilter',
          { x: x!, dy: dy! },
          {
            strides: [1, 1],
            dilations: [1, 1],
            pad: 'same',
            filterShape: [3, 3, 16, 1],
          },
        ) as tf.Tensor,
    },
    {
      name: `DepthwiseConv2dNativeBackpropInput dy [${batch},28,28,16] 3×3, same`,
      inputs: () => ({ dy: random([batch, 28, 28, 16], 5), filter: random([3, 3, 16, 1], 6) }),
      run: ({ dy, filter }) =>
        tf.engine().runKernel(
          'DepthwiseConv2dNativeBackpropInput',
          { dy: dy!, filter: filter! },
          {
            strides: [1, 1],
            dilations: [1, 1],
            pad: 'same',
            inputShape: [batch, 28, 28, 16],
          },
        ) as tf.Tensor,
    },
    {
      name: `UnsortedSegmentSum [${batch * 20}, 16] into 1000 rows (embedding gradient)`,
      inputs: () => ({
        x: random([batch * 20, 16], 7),
        ids: tf.randomUniform([batch * 20], 0, 1000, 'int32', 8),
      }),
      run: ({ x, ids }) => tf.unsortedSegmentSum(x!, ids as tf.Tensor1D, 1000),
    },
  ];
}

/** One timed task per added kernel, on the current backend, and how to free their inputs. */
export function trainingKernelTasks(batch: number): { tasks: TimedTask[]; dispose: () => void } {
  const made: tf.Tensor[] = [];
  const tasks = kernelCases(batch).map((c): TimedTask => {
    const inputs = c.inputs();
    made.push(...Object.values(inputs));
    return { name: c.name, fn: () => c.run(inputs).dispose() };
  });
  return { tasks, dispose: () => tf.dispose(made) };
}
