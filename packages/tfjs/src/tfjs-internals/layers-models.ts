/**
 * What the probe-pass guards read and write of a tfjs-layers model beyond its
 * public API: its training flag, compiled metrics and dropout layers' seeds.
 * Part of `tfjs-internals.ts` (see there).
 *
 * @module
 */
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
