/**
 * Every place `@flood/tfjs` relies on a part of TensorFlow.js that is not its
 * public API, in one module, each pinned by a test (`tfjs-internals.test.ts`)
 * against tfjs 4.22 (tfjs-layers 4.22 for the model fields). Nothing here
 * modifies a built-in (`Array.prototype`, `Object.prototype`, `Math`) or any
 * tfjs prototype or engine method: the probe-pass guards read engine state and
 * write only instance fields of the user's own layers and models, for the
 * duration of one synchronous pass.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

/** True if `value` is a live `tf.Variable` (by shape, so a second copy of tfjs-core counts too). */
function isVariable(value: unknown): value is tf.Variable {
  return (
    value instanceof tf.Variable ||
    (typeof value === 'object' &&
      value !== null &&
      typeof (value as tf.Variable).assign === 'function' &&
      typeof (value as tf.Variable).trainable === 'boolean' &&
      'dataId' in value)
  );
}

/** The optimizers held in `optimizer`'s own fields (a wrapper such as `scheduled`'s base). */
function heldOptimizers(optimizer: tf.Optimizer): tf.Optimizer[] {
  return Object.values(optimizer).filter(
    (v): v is tf.Optimizer => typeof v === 'object' && v !== null && v instanceof tf.Optimizer,
  );
}

/**
 * The variables a `tf.train` optimizer keeps its state in: its own fields that
 * are variables (Adam's `accBeta1`/`accBeta2`, Adamax's `iteration`) and the
 * `{ originalName, variable }` slot lists (`accumulatedFirstMoment`,
 * `accumulations`, `accumulatedGrads`, …), and those of any optimizer it holds
 * in a field (the base of `scheduled`). Assumption (tfjs 4.22, every `tf.train`
 * optimizer): an optimizer's state is exactly these, besides the host number
 * `iterations_`. Disposed variables are left out.
 */
export function optimizerStateVariables(optimizer: tf.Optimizer): tf.Variable[] {
  const out: tf.Variable[] = [];
  for (const value of Object.values(optimizer)) {
    if (isVariable(value)) {
      if (!value.isDisposed) out.push(value);
    } else if (Array.isArray(value)) {
      for (const item of value) {
        const v = isVariable(item) ? item : (item as { variable?: unknown } | null)?.variable;
        if (isVariable(v) && !v.isDisposed) out.push(v);
      }
    }
  }
  for (const held of heldOptimizers(optimizer)) out.push(...optimizerStateVariables(held));
  return out;
}

/**
 * Moves an optimizer's iteration count back by `steps` (that of the optimizers
 * it holds, if any: a wrapper reads its count from its base). Assumption (tfjs
 * 4.22): a `tf.train` optimizer's count is the protected field `iterations_`,
 * which `applyGradients` increments and `getWeights` saves as `iter`.
 */
export function rewindIterations(optimizer: tf.Optimizer, steps: number): void {
  if (steps === 0) return;
  const held = heldOptimizers(optimizer);
  if (held.length > 0) {
    for (const h of held) rewindIterations(h, steps);
    return;
  }
  const o = optimizer as unknown as { iterations_?: number };
  o.iterations_ = optimizer.iterations - steps;
}

/**
 * ε1, the rate at which `optimizer` descends along the gradient it is given,
 * where it is known: the `learningRate` of `tf.train.sgd` and
 * `tf.train.momentum` (whose step is `θ ← θ − η·(g + m·v)`), also through a
 * wrapper that holds one in a field and exposes the rate it will use as
 * `learningRate` (`scheduled`). Undefined for adaptive optimizers (Adam, …),
 * whose step is not `η·g`. Assumption (tfjs 4.22): `learningRate` is a public
 * field of these two classes, named `'SGD'` and `'Momentum'`.
 */
export function descentRate(optimizer: tf.Optimizer): number | undefined {
  const lr = (optimizer as unknown as { learningRate?: unknown }).learningRate;
  if (typeof lr !== 'number' || !Number.isFinite(lr)) return undefined;
  const held = heldOptimizers(optimizer);
  if (held.length === 1) return descentRate(held[0]!) === undefined ? undefined : lr;
  const name = optimizer.getClassName();
  return name === 'SGD' || name === 'Momentum' ? lr : undefined;
}

/**
 * The `learningRate` an optimizer reads (a public field of every `tf.train`
 * optimizer in tfjs 4.22, though not declared on `tf.Optimizer`), if numeric.
 */
export function learningRateOf(optimizer: tf.Optimizer): number | undefined {
  const lr = (optimizer as unknown as { learningRate?: unknown }).learningRate;
  return typeof lr === 'number' && Number.isFinite(lr) ? lr : undefined;
}

interface EngineTapeState {
  state: { gradientDepth: number; activeTape: { saved?: tf.Tensor[] }[] | null };
}

/**
 * Frees the tensors the engine saved for backprop when a loss threw inside
 * `tf.variableGrads` (tfjs frees them only after a completed backward pass).
 * Assumption (tfjs 4.22): the engine's `state.activeTape` holds the recorded
 * nodes, each with the tensors it saved in `saved`, and `gradientDepth` is 0
 * outside any gradient computation.
 */
export function releaseAbandonedTape(): void {
  const { state } = tf.engine() as unknown as EngineTapeState;
  if (state.gradientDepth === 0 && state.activeTape) {
    for (const node of state.activeTape) if (node.saved) tf.dispose(node.saved);
    state.activeTape = null;
  }
}

/**
 * `condition ? a : b` elementwise for a `condition` of `a`'s shape (or, where
 * {@link selectTakesScalar} holds, a scalar `condition` for the whole tensor):
 * the `Select` kernel itself (`tf.where` first broadcasts all three inputs, and
 * `broadcastTo` clones an input of the right shape: a copy on wasm).
 * Assumption (tfjs 4.22): every backend registers `Select` with inputs
 * `{ condition, t, e }` of one shape.
 */
export function select<T extends tf.Tensor>(condition: tf.Tensor, a: T, b: T): T {
  return tf.engine().runKernel('Select', { condition, t: a, e: b }) as T;
}

interface EngineScopeState {
  state: {
    activeScope: { track: tf.Tensor[] } | null;
    activeTape: { saved?: tf.Tensor[] }[] | null;
  };
}

/**
 * Runs `fn` and returns its result with the tensors `fn` created and
 * `tf.keep`-ed at the level of the current scope (tfjs-layers' training closure
 * keeps each metric value there), other than the result and the tensors the
 * engine saved for backprop (which it keeps too). Read-only: nothing is patched.
 * Assumption (tfjs 4.22): the engine tracks every tensor made in a scope on
 * `state.activeScope.track` in creation order, `tf.keep` only sets the tensor's
 * `kept` flag, and the gradient tape lists the saved tensors in each node's `saved`.
 */
export function keptBy<T>(fn: () => T): { result: T; kept: tf.Tensor[] } {
  const { state } = tf.engine() as unknown as EngineScopeState;
  const scope = state.activeScope;
  const start = scope ? scope.track.length : 0;
  const result = fn();
  if (!scope) return { result, kept: [] };
  const fresh = scope.track.slice(start).filter((t) => t.kept && !t.isDisposed && t !== result);
  if (fresh.length === 0) return { result, kept: [] };
  const saved = new Set((state.activeTape ?? []).flatMap((node) => node.saved ?? []));
  return { result, kept: fresh.filter((t) => !saved.has(t)) };
}

/** A tfjs-layers model as the probe-pass guards see it. */
export interface LayersModelFields {
  /** True while the model's `fit` or `fitDataset` runs. */
  isTraining?: boolean;
  /** The compiled metrics, read by the training closure at every evaluation. */
  metricsTensors?: unknown[];
  /** Its layers (a nested model is a layer with layers of its own). */
  layers?: unknown[];
}

/** The layers of `model`, through nested models, depth first. */
function allLayers(model: LayersModelFields, out: object[] = []): object[] {
  for (const layer of model.layers ?? []) {
    if (typeof layer !== 'object' || layer === null) continue;
    out.push(layer);
    allLayers(layer as LayersModelFields, out);
  }
  return out;
}

/** A layer drawing a dropout mask from `this.seed` in every training call. */
interface SeededDropout {
  seed?: number | null;
  rate: number;
}

/**
 * The layers of `models` that draw a dropout mask from their `seed` field and
 * have none set: tfjs-layers' `Dropout` and `SpatialDropout1D`. Assumption
 * (tfjs-layers 4.22): their `call` passes `this.seed` (an own field, undefined
 * unless given) to `tf.dropout`, read at every call, and an unseeded draw takes
 * its seed from `Math.random()`; the noise layers (`GaussianNoise`,
 * `GaussianDropout`, `AlphaDropout`) take no seed.
 */
export function unseededDropoutLayers(models: Iterable<LayersModelFields>): SeededDropout[] {
  const out: SeededDropout[] = [];
  for (const model of models) {
    for (const layer of allLayers(model)) {
      const name = (layer as { getClassName?: () => string }).getClassName?.();
      const d = layer as SeededDropout;
      if ((name === 'Dropout' || name === 'SpatialDropout1D') && d.seed == null) out.push(d);
    }
  }
  return out;
}

/**
 * Runs `fn` with each layer of `layers` seeded by `seedOf(layer)` (the same
 * seed gives the same dropout mask), and puts each layer's own seed back when
 * `fn` returns or throws. Writes only the layers' own `seed` field.
 */
export function withDropoutSeeds<T>(
  layers: readonly SeededDropout[],
  seedOf: (layer: object) => number,
  fn: () => T,
): T {
  const own = layers.map((l) => l.seed);
  layers.forEach((l) => {
    l.seed = seedOf(l);
  });
  try {
    return fn();
  } finally {
    layers.forEach((l, i) => {
      l.seed = own[i];
    });
  }
}

/**
 * Runs `fn` with `models` computing no metrics in their training closure, and
 * puts each model's compiled metrics back when `fn` returns or throws.
 * Assumption (tfjs-layers 4.22, `LayersModel.makeTrainFunction`): the closure
 * handed to `optimizer.minimize` reads `this.metricsTensors` at each evaluation,
 * and `tf.keep`s and returns one value per entry; with none, it computes the
 * loss only. Writes only the models' own `metricsTensors` field.
 */
export function withoutMetrics<T>(models: readonly LayersModelFields[], fn: () => T): T {
  const own = models.map((m) => m.metricsTensors);
  for (const m of models)
    if (m.metricsTensors && m.metricsTensors.length > 0) m.metricsTensors = [];
  try {
    return fn();
  } finally {
    models.forEach((m, i) => {
      m.metricsTensors = own[i];
    });
  }
}

/**
 * Marks a `Select` kernel registration that takes a scalar condition for the
 * whole of `t`/`e` (and a rank-1 condition as one boolean per leading index,
 * TensorFlow 1's `select`), as `@flood/tfjs/wasm`'s replacement of the wasm
 * kernel does. A registry symbol, so the optimizers can ask without importing
 * the wasm entry.
 */
export const SELECT_TAKES_SCALAR: unique symbol = Symbol.for(
  '@flood/tfjs: Select takes a scalar condition',
);

/**
 * Marks the `MaxPoolGrad` registration of `@flood/tfjs/wasm` (which routes a
 * window's gradient to its first maximum, as the cpu kernel does; the stock
 * wasm kernel of tfjs 4.22 does not).
 */
export const MAX_POOL_GRAD_IS_RIGHT: unique symbol = Symbol.for(
  '@flood/tfjs: MaxPoolGrad routes to the first maximum',
);

/**
 * Marks the `_FusedMatMul` registration of `@flood/tfjs/wasm` (`enableFastWasmTraining`),
 * which adds a bias rightly to every batch-1 product, transposed operands
 * included (the stock wasm kernel of tfjs 4.22 only to untransposed ones).
 */
export const FUSED_BIAS_RIGHT_AT_BATCH_1: unique symbol = Symbol.for(
  '@flood/tfjs: _FusedMatMul adds the bias rightly at batch 1',
);

/**
 * True if the kernel `kernelName` registered for `backendName` carries `mark`
 * (one of the marks above, set by `@flood/tfjs/wasm` on its registrations): a
 * property of the registration, so deciding needs no tensor and no read-back.
 * No stock kernel is marked. Assumption (tfjs 4.22): `getKernel` returns the
 * registered configuration object itself.
 */
export function kernelMarked(kernelName: string, backendName: string, mark: symbol): boolean {
  const config = tf.getKernel(kernelName, backendName) as
    | (tf.KernelConfig & Record<symbol, unknown>)
    | undefined;
  return config?.[mark] === true;
}

/**
 * True if the `Select` kernel registered for `backendName` is marked
 * {@link SELECT_TAKES_SCALAR}. Not assumed of any stock kernel: in tfjs 4.22
 * the cpu and wasm kernels write only the first entry for a scalar condition
 * and get the row form wrong (they copy `t[i]`, the `i`-th entry, into all of
 * row `i`).
 */
export function selectTakesScalar(backendName: string): boolean {
  return kernelMarked('Select', backendName, SELECT_TAKES_SCALAR);
}
