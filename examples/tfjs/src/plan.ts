/**
 * The presets: sizes, seeds, noise levels, epochs and hyper-parameters of the
 * quick and full runs. Everything the report prints about a run comes from here.
 */
import type { DatasetName, Preset } from './cli.js';
import { noisyLabelEntropy } from './noise.js';

/** Everything that defines a demo run. */
export interface Plan {
  /** Which data set (MNIST or Fashion-MNIST). */
  readonly dataset: DatasetName;
  /** Which preset this came from. */
  readonly preset: Preset;
  /** Symmetric label-noise rates of the training and validation labels, one experiment each. */
  readonly noise: readonly number[];
  /** Seeds; each gives its own subsample, noise, initial weights and batch order. */
  readonly seeds: readonly number[];
  /** Labelled images drawn from the training pool, then split 80:20 into training and validation. */
  readonly examples: number;
  /** Test images drawn from the test pool (labels clean). */
  readonly testExamples: number;
  /** Hidden layer widths of the ReLU MLP. */
  readonly hidden: readonly number[];
  /** Epochs per run. */
  readonly epochs: number;
  /** Mini-batch size. */
  readonly batchSize: number;
  /** Adam's learning rate (the base optimizer of every method). */
  readonly learningRate: number;
  /** SAM radius ρ. */
  readonly rho: number;
  /** λ on ‖∇L‖² of the gradient penalty; backstitch ascends ε2 = 2λ (see {@link backstitchAscent}). */
  readonly penalty: number;
  /** Flood levels tried, as multiples of the noisy-label entropy H (when H >= 0.05). */
  readonly levelFactors: readonly number[];
  /** Flood levels tried when there is (almost) no noise (H < 0.05): the paper's small grid. */
  readonly cleanLevels: readonly number[];
  /** Training images (noisy labels) the curvature is measured on. */
  readonly hessianExamples: number;
  /** Lanczos steps for the top Hessian eigenvalue. */
  readonly hessianIterations: number;
  /** Hutchinson probes for the Hessian trace. */
  readonly traceSamples: number;
  /** Also run GSAM and LookSAM (the full preset). */
  readonly samVariants: boolean;
  /** Also run flooding with `adaptiveFloodLevel` from @flood/schedulers (the full preset). */
  readonly adaptiveLevel: boolean;
}

/**
 * The ascent rate ε2 of backstitch whose gradient matches the penalty λ‖∇L‖²:
 * backstitch hands the base optimizer ∇L(θ + ε2∇L) = ∇L + ε2·H∇L + O(ε2²) =
 * ∇[L + (ε2/2)‖∇L‖²], so ε2 = 2λ (the seed's equivalence, for any base
 * optimizer; with SGD(ε1) it is the ε1ε2/(2(ε1 − ε2)) of backstitchEquivalent
 * in the limit ε2 ≪ ε1 only because the ascent there is also kept).
 */
export function backstitchAscent(penalty: number): number {
  return 2 * penalty;
}

/**
 * The flood levels of the grid at a noise rate: round(f·H, 2) for each factor
 * f, with H = {@link noisyLabelEntropy}; the clean grid when H < 0.05. b = 0 (plain
 * training) is always a candidate too, as in Ishida et al.'s code.
 */
export function floodLevels(plan: Plan, noise: number, classes: number): number[] {
  const h = noisyLabelEntropy(noise, classes);
  if (h < 0.05) return [...plan.cleanLevels];
  return [...new Set(plan.levelFactors.map((f) => Math.round(100 * f * h) / 100))];
}

/** The preset for a data set, with optional overrides. */
export function makePlan(
  dataset: DatasetName,
  preset: Preset,
  overrides: {
    epochs?: number;
    examples?: number;
    noise?: readonly number[];
    seeds?: number;
    seed?: number;
  } = {},
): Plan {
  const first = overrides.seed ?? 1;
  const shared = {
    dataset,
    preset,
    hidden: [256, 256],
    batchSize: 128,
    learningRate: 1e-3,
    rho: 0.05,
    penalty: 0.01,
    cleanLevels: [0.02, 0.05, 0.1],
  };
  const base: Plan =
    preset === 'quick'
      ? {
          ...shared,
          noise: [0.4],
          seeds: [first, first + 1, first + 2],
          examples: 2000,
          testExamples: 2000,
          epochs: 40,
          levelFactors: [0.25, 0.5, 0.75, 1],
          hessianExamples: 256,
          hessianIterations: 12,
          traceSamples: 8,
          samVariants: false,
          adaptiveLevel: false,
        }
      : {
          ...shared,
          // 40 % first (the quick preset's level), then the noise-free comparison, then 20 %:
          // an interrupted run has the levels that matter most. Reports sort by noise.
          noise: [0.4, 0, 0.2],
          seeds: Array.from({ length: 5 }, (_, i) => first + i),
          examples: 2000,
          testExamples: 2000,
          epochs: 20,
          levelFactors: [0.25, 0.5, 0.75, 1],
          hessianExamples: 256,
          hessianIterations: 12,
          traceSamples: 8,
          samVariants: true,
          adaptiveLevel: true,
        };
  return {
    ...base,
    ...(overrides.epochs === undefined ? {} : { epochs: overrides.epochs }),
    ...(overrides.examples === undefined ? {} : { examples: overrides.examples }),
    ...(overrides.noise === undefined ? {} : { noise: [...overrides.noise] }),
    ...(overrides.seeds === undefined
      ? {}
      : { seeds: Array.from({ length: overrides.seeds }, (_, i) => first + i) }),
  };
}
