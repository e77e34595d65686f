/** Peak tensor memory of one call: bytes of distinct tensor buffers, tracked in the engine. */
import * as tf from '@tensorflow/tfjs-core';

/** The engine members this measurement hooks (tfjs-core 4.x internals). */
interface EngineHooks {
  trackTensor(a: tf.Tensor, backend: unknown): void;
  disposeTensor(a: tf.Tensor): void;
  state: { tensorInfo: WeakMap<object, { bytes: number }> };
}

/**
 * The most bytes of *distinct* tensor buffers alive at any moment during `fn`,
 * minus those alive before it: the step's transient footprint (activations,
 * gradients, probe copies, optimizer temporaries). `tf.memory().numBytes` (and so
 * `tf.profile(fn).peakBytes`) counts every tensor, so a `clone` (a refcounted
 * alias of the same buffer) would count as a copy; here a buffer counts once, from
 * its first tensor to its last. Also returns how many tensors `fn` left behind.
 */
export function peakExtraBytes(fn: () => void): { peak: number; leaked: number } {
  const engine = tf.engine() as unknown as EngineHooks;
  const info = engine.state.tensorInfo;
  const track = engine.trackTensor;
  const dispose = engine.disposeTensor;
  const ownTrack = Object.hasOwn(engine, 'trackTensor');
  const ownDispose = Object.hasOwn(engine, 'disposeTensor');
  let live = 0;
  let peak = 0;
  engine.trackTensor = (a, backend) => {
    const isNew = !info.has(a.dataId);
    track.call(engine, a, backend);
    const added = info.get(a.dataId);
    if (isNew && added) {
      live += added.bytes;
      peak = Math.max(peak, live);
    }
  };
  engine.disposeTensor = (a) => {
    const had = info.get(a.dataId);
    dispose.call(engine, a);
    if (had && !info.has(a.dataId)) live -= had.bytes;
  };
  const tensorsBefore = tf.memory().numTensors;
  try {
    fn();
  } finally {
    if (ownTrack) engine.trackTensor = track;
    else delete (engine as Partial<EngineHooks>).trackTensor;
    if (ownDispose) engine.disposeTensor = dispose;
    else delete (engine as Partial<EngineHooks>).disposeTensor;
  }
  return { peak, leaked: tf.memory().numTensors - tensorsBefore };
}
