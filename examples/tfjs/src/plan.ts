/**
 * The presets: sizes, epochs and hyper-parameters of the quick and full runs
 * for each data set. Everything the report prints about a run comes from here.
 */
import type { DatasetName, Preset } from './cli.js';

/** Everything that defines a demo run. */
export interface Plan {
  /** Which data set. */
  readonly dataset: DatasetName;
  /** Which preset this came from. */
  readonly preset: Preset;
  /**
   * MNIST: labelled examples drawn from the 60 000 training images, then split
   * 80:20 into training and validation. Sinusoid: training points (the
   * validation set has as many, drawn separately, as in the paper).
   */
  readonly examples: number;
  /** Test examples (MNIST: drawn from the 10 000 test images; sinusoid: clean points). */
  readonly testExamples: number;
  /** Hidden layer widths of the ReLU MLP. */
  readonly hidden: readonly number[];
  /** Epochs per run. */
  readonly epochs: number;
  /** Mini-batch size. */
  readonly batchSize: number;
  /** Learning rate η of the base SGD. */
  readonly learningRate: number;
  /** Penalty λ on ‖∇L‖² for backstitch and the gradient penalty. */
  readonly penalty: number;
  /** SAM radius ρ. */
  readonly rho: number;
  /** Flood levels tried on the validation split (0 = plain training). */
  readonly levels: readonly number[];
  /** Training examples the final Hessian eigenvalue is measured on. */
  readonly hessianExamples: number;
  /** Lanczos steps for the top Hessian eigenvalue. */
  readonly hessianIterations: number;
}

/**
 * Kaldi's backstitch recipe uses α = 0.3: ascent αη, descent (1 + α)η, which is
 * SGD(η) on L + λ‖∇L‖² with λ = α(1 + α)η/2. We use that λ for both backstitch
 * and the explicit penalty rather than tuning it.
 */
export function kaldiPenalty(learningRate: number, alpha = 0.3): number {
  return (alpha * (1 + alpha) * learningRate) / 2;
}

/** The preset for a data set, with optional overrides of epochs and examples. */
export function makePlan(
  dataset: DatasetName,
  preset: Preset,
  overrides: { epochs?: number; examples?: number } = {},
): Plan {
  const base = dataset === 'mnist' ? mnistPlan(preset) : sinusoidPlan(preset);
  return {
    ...base,
    ...(overrides.epochs === undefined ? {} : { epochs: overrides.epochs }),
    ...(overrides.examples === undefined ? {} : { examples: overrides.examples }),
  };
}

function mnistPlan(preset: Preset): Plan {
  const learningRate = 0.1;
  const shared = {
    dataset: 'mnist' as const,
    preset,
    learningRate,
    penalty: kaldiPenalty(learningRate),
    rho: 0.05,
  };
  if (preset === 'quick') {
    return {
      ...shared,
      examples: 1000,
      testExamples: 1000,
      hidden: [128],
      epochs: 30,
      batchSize: 32,
      levels: [0, 0.02, 0.05, 0.1],
      hessianExamples: 256,
      hessianIterations: 10,
    };
  }
  return {
    ...shared,
    examples: 60_000,
    testExamples: 10_000,
    hidden: [256],
    epochs: 50,
    batchSize: 128,
    // The paper's benchmark grid, {0, 0.01, …, 0.10}.
    levels: Array.from({ length: 11 }, (_, i) => i / 100),
    hessianExamples: 2048,
    hessianIterations: 30,
  };
}

function sinusoidPlan(preset: Preset): Plan {
  const learningRate = 0.1;
  return {
    dataset: 'sinusoid',
    preset,
    learningRate,
    penalty: kaldiPenalty(learningRate),
    rho: 0.05,
    // Ishida et al.: 100 training, 100 validation, 20 000 clean test points (the
    // quick preset evaluates 2 000 test points after each of its 300 epochs).
    examples: 100,
    testExamples: preset === 'quick' ? 2000 : 20_000,
    hidden: preset === 'quick' ? [100, 100] : [500, 500, 500, 500],
    epochs: preset === 'quick' ? 300 : 500,
    // Full batch, as in the paper (mini-batch 100 at n = 100).
    batchSize: 100,
    // The official demo's SGD grid.
    levels: [0, 0.26, 0.27, 0.28],
    hessianExamples: 100,
    hessianIterations: 20,
  };
}
