/** One optimizer step of every method under test, over the same model. */
import {
  accumulate,
  backstitch,
  flooding,
  floodLoss,
  friendlySam,
  gradientPenalty,
  gsam,
  lookSam,
  sam,
  scheduled,
} from '@flood/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import type { Mlp } from './mlp.js';

/** The base optimizers every method is measured against. */
export type BaseName = 'sgd' | 'adam';

/** The methods, `plain` being the base optimizer's own `minimize`. */
export const METHODS = [
  'plain',
  'flooding',
  'flooding + ‖g‖',
  'hand-written flooding',
  'floodLoss individual',
  'backstitch',
  'gradient penalty',
  'SAM',
  'ASAM',
  'GSAM',
  'LookSAM k=5',
  'Friendly SAM',
  'scheduled',
  'accumulate ×4',
] as const;

/** One of {@link METHODS}. */
export type Method = (typeof METHODS)[number];

/** An optimizer step ready to be timed. */
export interface Step {
  /** `${base} ${method}`. */
  readonly name: string;
  readonly base: BaseName;
  readonly method: Method;
  /** Runs one `minimize` on the model's batch (`calls` of them when set). */
  run(): void;
  /**
   * `minimize` calls per `run` for methods whose cost repeats over several
   * steps (LookSAM's period, accumulation's micro-batches); timed against as
   * many plain steps and reported per call. Undefined means 1.
   */
  readonly calls?: number;
  /** Frees the optimizer. */
  dispose(): void;
}

/** The hyper-parameters used (they do not change the cost of a step). */
export const SETTINGS = {
  sgdLearningRate: 0.01,
  adamLearningRate: 1e-4,
  floodLevel: 0.1,
  backstitchAscentRate: 0.003,
  penaltyCoefficient: 0.01,
  samRho: 0.05,
  asamRho: 0.5,
  gsamAlpha: 0.4,
  lookSamEvery: 5,
  friendlySamSigma: 1,
  friendlySamMomentum: 0.9,
  accumulateSteps: 4,
} as const;

function baseOptimizer(base: BaseName): tf.Optimizer {
  return base === 'sgd'
    ? tf.train.sgd(SETTINGS.sgdLearningRate)
    : tf.train.adam(SETTINGS.adamLearningRate);
}

/** The step of `method` with base optimizer `base` on `model`. */
export function createStep(model: Mlp, base: BaseName, method: Method): Step {
  const vars = model.variables;
  const inner = baseOptimizer(base);
  let optimizer: tf.Optimizer = inner;
  let loss: () => tf.Scalar = () => model.loss();
  let run = () => {
    optimizer.minimize(loss, false, vars);
  };
  let calls: number | undefined;
  switch (method) {
    case 'plain':
      break;
    case 'flooding':
      optimizer = flooding(inner, { level: SETTINGS.floodLevel });
      break;
    case 'flooding + ‖g‖':
      // With the gradient norm recorded on every step (as while floodCallback logs gradNorm).
      optimizer = flooding(inner, { level: SETTINGS.floodLevel, recordGradientNorm: true });
      break;
    case 'hand-written flooding': {
      // The best a user could write by hand: the gradient of |L − b| + b in one
      // backward pass, handed to the base optimizer; no non-finite guard, no
      // lastStep. The wrapper's cost is measured against it.
      const b = SETTINGS.floodLevel;
      run = () => {
        const { value, grads } = tf.variableGrads(
          () => tf.add(tf.abs(tf.sub(model.loss(), b)), b) as tf.Scalar,
          vars,
        );
        inner.applyGradients(grads);
        tf.dispose([value, ...Object.values(grads)]);
      };
      break;
    }
    case 'floodLoss individual': {
      const flooded = floodLoss((y, z) => model.perSampleLoss(y, z), {
        level: SETTINGS.floodLevel,
        individual: true,
      });
      loss = () => flooded(model.y, model.logits()) as tf.Scalar;
      break;
    }
    case 'backstitch':
      optimizer = backstitch(inner, { ascentRate: SETTINGS.backstitchAscentRate });
      break;
    case 'gradient penalty':
      optimizer = gradientPenalty(inner, { coefficient: SETTINGS.penaltyCoefficient });
      break;
    case 'SAM':
      optimizer = sam(inner, { rho: SETTINGS.samRho });
      break;
    case 'ASAM':
      optimizer = sam(inner, { rho: SETTINGS.asamRho, adaptive: true });
      break;
    case 'GSAM':
      optimizer = gsam(inner, { rho: SETTINGS.samRho, alpha: SETTINGS.gsamAlpha });
      break;
    case 'LookSAM k=5':
      optimizer = lookSam(inner, { rho: SETTINGS.samRho, every: SETTINGS.lookSamEvery });
      calls = SETTINGS.lookSamEvery;
      break;
    case 'Friendly SAM':
      optimizer = friendlySam(inner, {
        rho: SETTINGS.samRho,
        sigma: SETTINGS.friendlySamSigma,
        momentum: SETTINGS.friendlySamMomentum,
      });
      break;
    case 'scheduled':
      // A constant schedule: the cost of setting the rate before every step.
      optimizer = scheduled(inner, {
        learningRate: base === 'sgd' ? SETTINGS.sgdLearningRate : SETTINGS.adamLearningRate,
      });
      break;
    case 'accumulate ×4':
      optimizer = accumulate(inner, { steps: SETTINGS.accumulateSteps });
      calls = SETTINGS.accumulateSteps;
      break;
  }
  if (calls !== undefined) {
    const once = run;
    run = () => {
      for (let i = 0; i < calls!; i++) once();
    };
  }
  return {
    name: `${base} ${method}`,
    base,
    method,
    run,
    ...(calls === undefined ? {} : { calls }),
    dispose: () => optimizer.dispose(),
  };
}

/** Every method on both bases, plain steps first. */
export function createSteps(model: Mlp): Step[] {
  return (['sgd', 'adam'] as const).flatMap((base) =>
    METHODS.map((method) => createStep(model, base, method)),
  );
}
