/**
 * The whole comparison: search the flood level on the validation split, then
 * train every method from the same initial weights with the same batch order,
 * and measure each final model's top Hessian eigenvalue.
 */
import { hessianEigenvalues } from '@flood/metrics';
import { variablesObjective } from '@flood/tfjs';
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { loadSplits } from './data/load.js';
import { crossEntropy } from './evaluate.js';
import {
  backstitchMethod,
  floodingMethod,
  gradientPenaltyMethod,
  type Method,
  type MethodParameters,
  plainMethod,
  samMethod,
} from './methods.js';
import { buildMlp, trainableVariables } from './model.js';
import type { Plan } from './plan.js';
import {
  chooseLevel,
  type DemoResult,
  type GridPoint,
  type MethodResult,
  summarise,
} from './results.js';
import { type DeviceData, disposeDeviceData, toDevice } from './tensors.js';
import { type EpochRecord, trainRun } from './train.js';

/** Progress of a run, in units of gradient evaluations. */
export interface Progress {
  /** Method (or grid point) being trained. */
  readonly method: string;
  /** Epoch just finished (0 when a run starts). */
  readonly epoch: number;
  /** Epochs of that run. */
  readonly epochs: number;
  /** Work done so far (epochs × gradients per step, summed over runs). */
  readonly done: number;
  /** Total work of the experiment. */
  readonly total: number;
}

/** Options of {@link runExperiment}. */
export interface ExperimentOptions {
  /** Seed of data, initial weights and batch order. */
  readonly seed: number;
  /** Name of the tfjs backend in use, for the report. */
  readonly backend: string;
  /** Called at the start of each run and after each epoch. */
  readonly onProgress?: (p: Progress) => void;
}

interface Trained {
  readonly method: Method;
  readonly history: EpochRecord[];
  readonly model: tfl.LayersModel;
  readonly seconds: number;
}

/** Runs the plan and returns everything it measured. */
export async function runExperiment(plan: Plan, o: ExperimentOptions): Promise<DemoResult> {
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const splits = loadSplits(plan, o.seed);
  const train = toDevice(splits.train);
  const validation = toDevice(splits.validation);
  const test = toDevice(splits.test);
  const hessianData = toDevice({
    ...splits.train,
    n: Math.min(plan.hessianExamples, splits.train.n),
    x: splits.train.x.subarray(
      0,
      Math.min(plan.hessianExamples, splits.train.n) * splits.train.features,
    ),
    y: splits.train.y.subarray(0, Math.min(plan.hessianExamples, splits.train.n)),
  });
  const params: MethodParameters = {
    learningRate: plan.learningRate,
    penalty: plan.penalty,
    rho: plan.rho,
  };
  const others = [backstitchMethod(params), gradientPenaltyMethod(params), samMethod(params)];
  const total =
    plan.epochs * (plan.levels.length + others.reduce((s, m) => s + m.gradientsPerStep, 0));
  let done = 0;
  const kept: tfl.LayersModel[] = [];
  try {
    const run = async (method: Method, floodLevel?: number): Promise<Trained> => {
      const model = buildMlp({
        inputs: splits.train.features,
        hidden: plan.hidden,
        classes: splits.train.classes,
        seed: o.seed,
      });
      kept.push(model);
      const optimizer = method.create();
      const t0 = performance.now();
      o.onProgress?.({ method: method.name, epoch: 0, epochs: plan.epochs, done, total });
      try {
        const history = await trainRun(model, optimizer, train, {
          epochs: plan.epochs,
          batchSize: plan.batchSize,
          seed: o.seed,
          validation,
          test,
          ...(floodLevel === undefined ? {} : { floodLevel }),
          onEpoch: (r) => {
            done += method.gradientsPerStep;
            o.onProgress?.({
              method: method.name,
              epoch: r.epoch,
              epochs: plan.epochs,
              done,
              total,
            });
          },
        });
        return { method, history, model, seconds: (performance.now() - t0) / 1000 };
      } finally {
        optimizer.dispose();
      }
    };

    // 1. The flood level: one run per level, b = 0 being plain SGD.
    const gridRuns: { level: number; trained: Trained }[] = [];
    for (const level of plan.levels) {
      const method = level === 0 ? plainMethod(params) : floodingMethod(params, level);
      const trained = await run(
        level === 0 ? method : { ...method, name: `flooding b=${level}` },
        level === 0 ? undefined : level,
      );
      gridRuns.push({ level, trained });
    }
    const grid: GridPoint[] = gridRuns.map(({ level, trained }) => {
      const last = trained.history.at(-1)!;
      return {
        level,
        validationAccuracy: last.validationAccuracy!,
        validationLoss: last.validationLoss!,
      };
    });
    const chosenLevel = chooseLevel(grid);
    const plain = gridRuns.find((g) => g.level === 0)?.trained ?? (await run(plainMethod(params)));
    const chosen = gridRuns.find((g) => g.level === chosenLevel)!.trained;
    const flood: Trained = {
      ...chosen,
      method:
        chosenLevel === 0
          ? {
              ...floodingMethod(params, 0),
              setting: 'b = 0 won the validation search: identical to plain SGD',
            }
          : floodingMethod(params, chosenLevel),
    };

    // 2. The other methods.
    const rest: Trained[] = [];
    for (const method of others) rest.push(await run(method));

    // 3. Curvature at the end, and the summary rows.
    const methods: MethodResult[] = [];
    for (const t of [plain, flood, ...rest]) {
      const topEigenvalue = await topHessianEigenvalue(t.model, hessianData, plan, o.seed);
      methods.push({
        name: t.method.name,
        setting: t.method.setting,
        gradientsPerStep: t.method.gradientsPerStep,
        history: t.history,
        summary: summarise(t.history, {
          seconds: t.seconds,
          topEigenvalue,
          withFloodProp: t === flood && chosenLevel > 0,
        }),
      });
    }
    return {
      settings: {
        preset:
          plan.preset === 'quick'
            ? 'quick: subsampled data and few epochs, to finish in minutes on a laptop CPU'
            : "full: the paper's protocol as far as a CPU allows",
        data: splits.description,
        model: `MLP ${[splits.train.features, ...plan.hidden, splits.train.classes].join('-')} (ReLU, Glorot-uniform init from the seed), softmax cross-entropy`,
        training: `SGD η = ${plan.learningRate}, batch ${plan.batchSize}, ${plan.epochs} epochs per method; flood levels tried: ${plan.levels.join(', ')}; λ = ${plan.penalty.toPrecision(4)} (Kaldi's α = 0.3); SAM ρ = ${plan.rho}`,
        backend: o.backend,
        seed: o.seed,
      },
      grid,
      chosenLevel,
      methods,
      date: new Date().toISOString(),
      wallSeconds: (performance.now() - started) / 1000,
      cpuSeconds: cpuSeconds(process.cpuUsage(cpuStart)),
    };
  } finally {
    for (const m of kept) m.dispose();
    for (const d of [train, validation, test, hessianData]) disposeDeviceData(d);
  }
}

/** Largest eigenvalue of the Hessian of the training loss on `data`, by Lanczos. */
async function topHessianEigenvalue(
  model: tfl.LayersModel,
  data: DeviceData,
  plan: Plan,
  seed: number,
): Promise<number> {
  const objective = variablesObjective(
    () => crossEntropy(data.y, model.apply(data.x) as tf.Tensor),
    trainableVariables(model),
  );
  const { eigenvalues } = await hessianEigenvalues(objective, {
    k: 1,
    maxIterations: plan.hessianIterations,
    seed,
  });
  return eigenvalues[0]!;
}

/** User + system seconds of a `process.cpuUsage` difference. */
function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}
