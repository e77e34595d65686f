/**
 * Saving a tfjs-layers model with its optimizer and loading it back, in memory,
 * and comparing tensors and weights bit for bit: the save/load tests' round trip.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** The artifacts of `m.save(…, { includeOptimizer: true })`, kept in memory. */
export async function saveWithOptimizer(m: tfl.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await m.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer: true },
  );
  return saved!;
}

/** `m` saved with its optimizer and loaded back (a new model with a new optimizer). */
export async function saveAndLoad(m: tfl.LayersModel): Promise<tfl.LayersModel> {
  return tfl.loadLayersModel(tf.io.fromMemory(await saveWithOptimizer(m)));
}

/** The float32 bits of `t`'s values, for bit-for-bit comparisons. */
export function tensorBits(t: tf.Tensor): number[] {
  return Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));
}

/** The float32 bits of every weight of `m`. */
export function weightBits(m: tfl.LayersModel): number[][] {
  return m.getWeights().map(tensorBits);
}
