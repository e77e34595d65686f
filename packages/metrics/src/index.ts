/**
 * `@flood/metrics`: instruments for the curvature and sharpness of a loss,
 * written over `@flood/core`'s `Objective`, so they run on `Float64Array`
 * objectives and on TensorFlow.js models alike.
 *
 * - {@link gradientNorm}: global and per-variable gradient norms;
 * - {@link hessianEigenvalues}: top-k Hessian eigenvalues by Lanczos;
 * - {@link hessianTrace}: Hutchinson's trace estimate with its standard error;
 * - {@link sharpness} (SAM/ASAM ρ-sharpness) and {@link epsilonSharpness}
 *   (Keskar et al.'s box ε-sharpness);
 * - {@link lossLandscape} (Li et al.'s filter-normalised slices) and
 *   {@link lossInterpolation} (the line between two parameter sets);
 * - {@link gradientNoiseScale}: McCandlish et al.'s `B_simple`.
 *
 * Every function is async (it reads scalars back), deterministic under a seed,
 * frees what it allocates, and reports the gradient evaluations it spent. The
 * curvature results say how their Hessian-vector products were computed
 * (`method: 'exact' | 'finite-difference'`) and, for finite differences,
 * whether each product agreed with a second one at twice the step
 * (`finiteDifferenceCheck`).
 *
 * @packageDocumentation
 */
export {
  type CurvatureMethod,
  type FiniteDifferenceCheck,
  type ProductRunner,
  productRunner,
} from './curvature-products.js';
export { type GradientNorm, type GradientNormOptions, gradientNorm } from './gradient-norm.js';
export {
  type HessianEigenvalues,
  type HessianEigenvaluesOptions,
  hessianEigenvalues,
} from './hessian-eigenvalues.js';
export { type HessianTrace, type HessianTraceOptions, hessianTrace } from './hessian-trace.js';
export {
  type DirectionNormalization,
  type LossInterpolation,
  type LossInterpolationOptions,
  type LossLandscape,
  type LossLandscapeOptions,
  lossInterpolation,
  lossLandscape,
  normalizedDirection,
} from './landscape.js';
export { type BatchGradients, type GradientNoiseScale, gradientNoiseScale } from './noise-scale.js';
export { type Random, type RandomKind, randomVector, seededGenerator } from './random.js';
export {
  type EpsilonSharpnessOptions,
  epsilonSharpness,
  type Sharpness,
  type SharpnessOptions,
  sharpness,
} from './sharpness.js';
export { type SymmetricEigen, symmetricEigen, tridiagonalEigen } from './symmetric-eigen.js';
