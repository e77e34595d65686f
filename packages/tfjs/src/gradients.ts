/**
 * Makes sure tfjs's gradient functions are registered. `@tensorflow/tfjs-core`'s
 * Node bundle registers none (`@tensorflow/tfjs` and `@tensorflow/tfjs-layers`
 * do, as a side effect of being imported), and every optimizer here needs
 * `tf.variableGrads`; importing tfjs-layers is the portable way to get them in
 * Node and in bundlers. It imports no backend.
 *
 * @module
 */
import '@tensorflow/tfjs-layers';
