/**
 * One test per assumption `tfjs-internals.ts` (and its parts in `tfjs-internals/`) makes about TensorFlow.js 4.22
 * (the version pinned in package.json): if an update breaks one, it fails here
 * first, by name.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import {
  keptBy,
  type LayersModelFields,
  optimizerStateVariables,
  releaseAbandonedTape,
  rewindIterations,
  SELECT_TAKES_SCALAR,
  select,
  selectTakesScalar,
  shareBuffer,
  type TapeNode,
  tapeRecordedBy,
  unseededDropoutLayers,
  wasmHeapOf,
  withDropoutSeeds,
  withoutMetrics,
} from './tfjs-internals.js';

const trainers: [string, () => tf.Optimizer][] = [
  ['sgd', () => tf.train.sgd(0.1)],
  ['momentum', () => tf.train.momentum(0.1, 0.9)],
  ['adam', () => tf.train.adam(0.1)],
  ['adamax', () => tf.train.adamax(0.1)],
  ['adagrad', () => tf.train.adagrad(0.1)],
  ['adadelta', () => tf.train.adadelta(0.1)],
  ['rmsprop', () => tf.train.rmsprop(0.1)],
  ['rmsprop centered', () => tf.train.rmsprop(0.1, 0.9, 0.5, 1e-7, true)],
];

describe('tfjs 4.22', () => {
  it('is the version these assumptions are pinned to', () => {
    expect(tf.version_core).toBe('4.22.0');
  });

  it.each(trainers)(
    '%s: its state is the variables optimizerStateVariables finds (and iterations_)',
    async (_name, make) => {
      const w = tf.variable(tf.tensor1d([1, -2]));
      const registered = () => new Set(Object.values(tf.engine().registeredVariables));
      const before = registered();
      const opt = make();
      const g = tf.tensor1d([0.5, 0.25]);
      opt.applyGradients([{ name: w.name, tensor: g }]);
      const made = [...registered()].filter((v) => !before.has(v));
      expect(new Set(optimizerStateVariables(opt))).toEqual(new Set(made));
      // iterations_ is the count applyGradients advances and getWeights saves as `iter`.
      expect((opt as unknown as { iterations_: number }).iterations_).toBe(1);
      rewindIterations(opt, 1);
      expect(opt.iterations).toBe(0);
      if (_name !== 'adamax') {
        const weights = await opt.getWeights();
        expect(weights[0]!.name).toBe('iter');
        expect(weights[0]!.tensor.dataSync()[0]).toBe(0);
        tf.dispose(weights.filter((x) => !(x.tensor instanceof tf.Variable)).map((x) => x.tensor));
      }
      tf.dispose([w, g]);
      opt.dispose();
    },
  );

  // Not centered RMSProp: tfjs 4.22 computes √(ms − mg² − ε) there, NaN wherever
  // the gradient has been zero, so its update is NaN at a zero gradient anyway.
  it.each(trainers.filter(([name]) => name !== 'rmsprop centered'))(
    '%s: a zero gradient leaves freshly made slots at their initial values',
    (name, make) => {
      const w = tf.variable(tf.tensor1d([1, -2, 3]));
      const opt = make();
      const before = new Set(optimizerStateVariables(opt));
      const zero = tf.zeros([3]);
      opt.applyGradients([{ name: w.name, tensor: zero }]);
      const initial = name === 'adagrad' ? Math.fround(0.1) : 0; // Adagrad's initialAccumulatorValue
      for (const v of optimizerStateVariables(opt).filter((x) => !before.has(x))) {
        expect(Array.from(v.dataSync())).toEqual(Array(v.size).fill(initial));
      }
      expect(Array.from(w.dataSync())).toEqual([1, -2, 3]);
      tf.dispose([w, zero]);
      opt.dispose();
    },
  );

  it('a wrapper holding a tf.train optimizer in a field: its state and count are the held one’s', () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const inner = tf.train.adam(0.1);
    const holder = Object.assign(tf.train.sgd(0.1), { base: inner });
    const g = tf.tensor1d([0.5, 0.25]);
    inner.applyGradients([{ name: w.name, tensor: g }]);
    expect(new Set(optimizerStateVariables(holder))).toEqual(
      new Set(optimizerStateVariables(inner)),
    );
    rewindIterations(holder, 1);
    expect(inner.iterations).toBe(0);
    tf.dispose([w, g]);
    inner.dispose();
    holder.dispose();
  });

  it('the engine keeps a throwing loss’s saved tensors on state.activeTape until released', () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const tensors = tf.memory().numTensors;
    expect(() =>
      tf.variableGrads(() => {
        tf.sum(tf.exp(w)); // saves tensors for backprop
        throw new Error('boom');
      }, [w]),
    ).toThrow('boom');
    const state = (tf.engine() as unknown as { state: { activeTape: unknown[] | null } }).state;
    expect(state.activeTape).not.toBeNull();
    releaseAbandonedTape();
    expect(state.activeTape).toBeNull();
    expect(tf.memory().numTensors).toBe(tensors);
    w.dispose();
  });

  it('the engine records each op of a gradient computation on state.activeTape: name, inputs, outputs, saved', () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    let nodes: TapeNode[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const recorded = tapeRecordedBy(() => tf.sum(tf.exp(w)) as tf.Scalar);
      nodes = recorded.nodes;
      return recorded.result;
    }, [w]);
    const exp = nodes.find((n) => n.kernelName === 'Exp')!;
    const sum = nodes.find((n) => n.kernelName === 'Sum')!;
    expect(exp.inputs.x?.id).toBe(w.id);
    expect(sum.inputs.x?.id).toBe(exp.outputs[0]!.id); // in order, linked by tensor ids
    // Exp saves its output as a copy recorded under the op's scope name, of one input `x`.
    const copy = nodes.find((n) => n.outputs[0]!.id === exp.saved?.[0]?.id)!;
    expect(copy.kernelName).toBe('exp__op');
    expect(Object.keys(copy.inputs)).toEqual(['x']);
    expect(copy.inputs.x?.id).toBe(exp.outputs[0]!.id);
    expect(tapeRecordedBy(() => 1).nodes).toEqual([]); // no gradient computation: no tape
    tf.dispose([value, ...Object.values(grads), w]);
  });

  it('shareBuffer: a second tensor on the buffer, no kernel; it outlives variable.assign and frees with the last one', async () => {
    const initial = tf.tensor1d([1.5, -2, Number.NaN]);
    const v = tf.variable(initial, false);
    initial.dispose();
    const before = tf.memory();
    let twin: tf.Tensor1D | undefined;
    const { kernels } = await tf.profile(() => {
      twin = tf.keep(shareBuffer(v));
    });
    const shared = twin!;
    expect(kernels).toEqual([]);
    expect(shared.dataId).toBe(v.dataId);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers); // no new buffer
    expect(tf.memory().numTensors).toBe(before.numTensors + 1);
    const written = tf.tensor1d([7, 8, 9]);
    v.assign(written); // disposes v's old value: the twin's reference keeps the buffer
    written.dispose();
    expect(Array.from(shared.dataSync())).toEqual([1.5, -2, Number.NaN]);
    v.assign(shared); // back on the first buffer, bit-exactly
    shared.dispose();
    expect(Array.from(v.dataSync())).toEqual([1.5, -2, Number.NaN]);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers); // 7, 8, 9 freed
    const once = tf.keep(shareBuffer(v));
    const buffers = tf.memory().numDataBuffers;
    v.dispose();
    expect(tf.memory().numDataBuffers).toBe(buffers); // the twin still holds it
    once.dispose();
    expect(tf.memory().numDataBuffers).toBe(buffers - 1); // freed with the last tensor
    expect(tf.memory().numTensors).toBe(before.numTensors - 1);
  });

  it('shareBuffer inside tf.tidy: the twin is tracked in the scope and freed with it', () => {
    const x = tf.tensor1d([3, 4]);
    const before = tf.memory();
    tf.tidy(() => {
      shareBuffer(x);
    });
    expect(tf.memory()).toMatchObject({
      numTensors: before.numTensors,
      numDataBuffers: before.numDataBuffers,
    });
    expect(Array.from(x.dataSync())).toEqual([3, 4]);
    x.dispose();
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers - 1);
  });

  it('the Select kernel takes { condition, t, e } of one shape on this backend', () => {
    const c = tf.tensor1d([true, false, true], 'bool');
    const a = tf.tensor1d([1, Number.NaN, 3]);
    const b = tf.tensor1d([-1, -2, -3]);
    const out = select(c, a, b);
    expect(Array.from(out.dataSync())).toEqual([1, -2, 3]);
    tf.dispose([c, a, b, out]);
  });

  it('keptBy: the tensors a closure keeps in the current scope, not those saved for backprop', () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const outside = tf.keep(tf.scalar(3));
    let metric: tf.Tensor | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const { result, kept } = keptBy(() => {
        metric = tf.keep(tf.mean(w)); // what tfjs-layers does with each metric
        tf.keep(outside); // made before: not the closure's
        return tf.sum(tf.exp(w)) as tf.Scalar; // exp saves its output for backprop
      });
      expect(kept).toEqual([metric]);
      return result;
    }, [w]);
    expect(metric!.isDisposed).toBe(false);
    tf.dispose([value, grads.w ?? [], ...Object.values(grads), metric!, outside, w]);
    expect(keptBy(() => 1).kept).toEqual([]); // no scope: nothing to report
  });

  it('tfjs-layers Dropout reads its own seed field at every call; the noise layers take none', () => {
    const masks = (model: tfl.LayersModel) => {
      const x = tf.ones([1, 32]);
      const a = model.apply(x, { training: true }) as tf.Tensor;
      const b = model.apply(x, { training: true }) as tf.Tensor;
      const same = tf.all(tf.equal(a, b)).dataSync()[0] === 1;
      tf.dispose([x, a, b]);
      return same;
    };
    const inner = tfl.sequential({ layers: [tfl.layers.dropout({ rate: 0.5, inputShape: [32] })] });
    const model = tfl.sequential({
      layers: [
        inner,
        tfl.layers.gaussianNoise({ stddev: 0 }),
        tfl.layers.dropout({ rate: 0.5, seed: 7 }),
      ],
    });
    const found = unseededDropoutLayers([model as unknown as LayersModelFields]);
    expect(found).toEqual([inner.layers[0]]); // nested model searched; the seeded one left alone
    expect(masks(model)).toBe(false);
    let seen = 0;
    withDropoutSeeds(
      found,
      () => 12345,
      () => {
        seen = (found[0] as { seed?: number }).seed ?? 0;
        expect(masks(model)).toBe(true);
      },
    );
    expect(seen).toBe(12345);
    expect(found[0]!.seed).toBeUndefined();
    model.dispose();
  });

  it('the training closure reads model.metricsTensors at every evaluation; isTraining marks a fit', async () => {
    // A functional model: a tf.Sequential trains through an inner LayersModel (its
    // `model` field), which is the model fit's callbacks are given.
    const input = tfl.input({ shape: [3] });
    const output = tfl.layers.dense({ units: 2, activation: 'softmax' }).apply(input);
    const model = tfl.model({ inputs: input, outputs: output as tfl.SymbolicTensor });
    const fields = model as unknown as LayersModelFields;
    const during: boolean[] = [];
    // A tf.train optimizer whose minimize evaluates the closure once more without metrics.
    class Twice extends tf.SGDOptimizer {
      override minimize(f: () => tf.Scalar, returnCost?: boolean, varList?: tf.Variable[]) {
        during.push(fields.isTraining === true);
        tf.dispose(withoutMetrics([fields], () => tf.tidy(f)));
        return super.minimize(f, returnCost, varList);
      }
    }
    const opt = new Twice(0.1);
    model.compile({ optimizer: opt, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const own = fields.metricsTensors;
    const x = tf.ones([4, 3]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1], 'int32'), 2);
    await model.trainOnBatch(x, y);
    const before = tf.memory().numTensors;
    expect((await model.trainOnBatch(x, y)) as number[]).toHaveLength(2); // [loss, acc], once
    expect(tf.memory().numTensors).toBe(before);
    expect(fields.metricsTensors).toBe(own);
    expect(fields.isTraining).toBe(false);
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    expect(during).toEqual([false, false, true]);
    expect(fields.isTraining).toBe(false);
    model.dispose();
    opt.dispose();
    tf.dispose([x, y]);
  });

  it('getKernel returns the registered configuration itself (selectTakesScalar reads a mark on it)', () => {
    const config = {
      kernelName: 'Select',
      backendName: 'flood-test-backend',
      kernelFunc: () => [],
      [SELECT_TAKES_SCALAR]: true,
    };
    expect(selectTakesScalar('flood-test-backend')).toBe(false);
    tf.registerKernel(config);
    try {
      expect(tf.getKernel('Select', 'flood-test-backend')).toBe(config);
      expect(selectTakesScalar('flood-test-backend')).toBe(true);
    } finally {
      tf.unregisterKernel('Select', 'flood-test-backend');
    }
    expect(selectTakesScalar('cpu')).toBe(false);
  });

  it('wasmHeapOf: the wasm backend’s unshared memory holds each float32 tensor at its offset; makeOutput makes one buffer', () => {
    const heap = wasmHeapOf(tf.backend());
    if (tf.getBackend() !== 'wasm') {
      expect(heap).toBeUndefined();
      return;
    }
    expect(heap?.memory).toBeInstanceOf(WebAssembly.Memory);
    expect(heap!.memory.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    const t = tf.tensor1d([1.5, -2, 3]);
    expect(Array.from(new Float32Array(heap!.memory.buffer, heap!.offsetOf(t), 3))).toEqual([
      1.5, -2, 3,
    ]);
    const buffers = tf.engine().backend.numDataIds();
    const out = heap!.makeOutput([2], 'float32');
    expect(tf.engine().backend.numDataIds()).toBe(buffers + 1);
    expect(out.shape).toEqual([2]);
    tf.backend().disposeData(out.dataId);
    t.dispose();
    expect(wasmHeapOf({})).toBeUndefined();
  });
});
