/**
 * One seed at one noise level: the flood-level search on the noisy validation
 * split, then every method from the same initial weights and batch order, and
 * the curvature of the final models.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type Curvature, measureCurvature } from './curvature.js';
import { loadSplits } from './data/load.js';
import {
  adaptiveFloodMethod,
  backstitchMethod,
  floodingMethod,
  gradientPenaltyMethod,
  gsamMethod,
  iFloodMethod,
  lookSamMethod,
  type Method,
  type MethodParameters,
  observeEpoch,
  plainMethod,
  samMethod,
} from './methods.js';
import { buildMlp } from './model.js';
import { noisyLabelEntropy } from './noise.js';
import { floodLevels, type Plan } from './plan.js';
import { chooseLevel, earlyStopEpoch, type RunRecord, type SeedResult } from './results.js';
import { disposeDeviceData, toDevice } from './tensors.js';
import { type EpochRecord, trainRun } from './train.js';

/** Gradient-evaluation units of one seed (epochs × gradients per step, summed over runs). */
export function seedUnits(plan: Plan, noise: number): number {
  // plain, the flood levels, iFlood and the adaptive level take 1 gradient per step;
  // SAM, backstitch and the penalty 2; GSAM 2, LookSAM 1.2.
  const variants = plan.samVariants ? 2 + 1.2 : 0;
  const adaptive = plan.adaptiveLevel ? 1 : 0;
  return plan.epochs * (1 + floodLevels(plan, noise, 10).length + 1 + 3 * 2 + variants + adaptive);
}

interface Trained {
  readonly method: Method;
  readonly history: EpochRecord[];
  readonly model: tfl.LayersModel;
  readonly seconds: number;
}

/**
 * Runs every method for `seed` at `noise`. `onUnits(units, label)` is called
 * after every epoch with the gradient-evaluation units it took.
 */
export async function runSeed(
  plan: Plan,
  noise: number,
  seed: number,
  onUnits?: (units: number, label: string) => void,
): Promise<SeedResult> {
  const splits = loadSplits({ ...plan, noise }, seed);
  const classes = splits.train.classes;
  const train = toDevice(splits.train);
  const validation = toDevice(splits.validation);
  const test = toDevice(splits.test);
  const hn = Math.min(plan.hessianExamples, splits.train.n);
  const hessianData = toDevice({
    ...splits.train,
    n: hn,
    x: splits.train.x.subarray(0, hn * splits.train.features),
    y: splits.train.y.subarray(0, hn),
  });
  const params: MethodParameters = plan;
  const kept: tfl.LayersModel[] = [];
  const snapshots: tf.Tensor[][] = [];
  const newModel = () => {
    const model = buildMlp({ inputs: splits.train.features, hidden: plan.hidden, classes, seed });
    kept.push(model);
    return model;
  };
  try {
    const batches = Math.ceil(splits.train.n / plan.batchSize);
    const run = async (method: Method, snapshot = false): Promise<Trained> => {
      const model = newModel();
      const optimizer = method.create();
      const t0 = performance.now();
      try {
        const history = await trainRun(model, optimizer, train, {
          epochs: plan.epochs,
          batchSize: plan.batchSize,
          seed,
          validation,
          test,
          ...(method.floodLevel === undefined ? {} : { floodLevel: method.floodLevel }),
          ...(method.individualLevel === undefined
            ? {}
            : { individualLevel: method.individualLevel }),
          onEpoch: (r) => {
            if (snapshot) snapshots.push(model.getWeights().map((w) => w.clone()));
            observeEpoch(method, {
              step: r.epoch * batches,
              trainingLoss: r.trainLoss,
              ...(r.validationLoss === undefined ? {} : { validationLoss: r.validationLoss }),
            });
            onUnits?.(method.gradientsPerStep, method.name);
          },
        });
        return { method, history, model, seconds: (performance.now() - t0) / 1000 };
      } finally {
        optimizer.dispose();
      }
    };
    const curvature = async (model: tfl.LayersModel): Promise<Curvature> =>
      measureCurvature(model, hessianData, {
        iterations: plan.hessianIterations,
        samples: plan.traceSamples,
        seed,
      });

    // 1. The flood-level search: b = 0 is plain training.
    const plain = await run(plainMethod(params), true);
    const levels = floodLevels(plan, noise, classes);
    const floods: { level: number; trained: Trained }[] = [];
    for (const level of levels)
      floods.push({ level, trained: await run(floodingMethod(params, level)) });
    const grid = [{ level: 0, trained: plain }, ...floods].map(({ level, trained }) => {
      const last = trained.history.at(-1)!;
      return {
        level,
        validationAccuracy: last.validationAccuracy!,
        validationLoss: last.validationLoss!,
        testAccuracy: last.testAccuracy!,
      };
    });
    const chosenLevel = chooseLevel(grid);
    // The flooding row: the chosen level's run (plain's run when b = 0 wins).
    const flood = floods.find((f) => f.level === chosenLevel)?.trained ?? plain;
    // iFlood at the same b (at the smallest grid level if plain won the search).
    const iFloodLevel = chosenLevel > 0 ? chosenLevel : levels[0]!;

    // 2. The other methods.
    const others: Trained[] = [];
    for (const method of [
      iFloodMethod(params, iFloodLevel),
      samMethod(params),
      backstitchMethod(params),
      gradientPenaltyMethod(params),
      ...(plan.samVariants ? [gsamMethod(params), lookSamMethod(params)] : []),
      ...(plan.adaptiveLevel ? [adaptiveFloodMethod(params)] : []),
    ]) {
      others.push(await run(method));
    }

    // 3. Rows and curvature.
    const last = plan.epochs;
    const row = async (
      name: string,
      t: Trained,
      reportedEpoch: number,
      measure: boolean,
      setting = t.method.setting,
    ): Promise<RunRecord> => ({
      name,
      setting,
      gradientsPerStep: t.method.gradientsPerStep,
      history: t.history,
      reportedEpoch,
      seconds: t.seconds,
      ...(t.method.adaptive
        ? {
            levelChanges: t.method.adaptive
              .getState()
              .changes.map((c) => ({ epoch: c.step / batches, level: c.level })),
          }
        : {}),
      ...(measure ? { curvature: { ...(await curvature(t.model)), epoch: reportedEpoch } } : {}),
    });
    const floodSetting =
      chosenLevel > 0
        ? `${flood.method.setting}, b chosen on the noisy validation split from {0, ${levels.join(', ')}}`
        : `b = 0 won the search over {0, ${levels.join(', ')}}: plain Adam`;
    const runs: RunRecord[] = [
      await row('plain', plain, last, true),
      await row(
        'plain + early stop',
        plain,
        earlyStopEpoch(plain.history),
        false,
        `${plain.method.setting}, model of the epoch with the best noisy-validation accuracy`,
      ),
      await row('flooding', flood, last, true, floodSetting),
      await row(
        'flooding + early stop',
        flood,
        earlyStopEpoch(flood.history),
        false,
        `${floodSetting}; model of the epoch with the best noisy-validation accuracy`,
      ),
    ];
    for (const t of others) runs.push(await row(t.method.name, t, last, true));

    // Plain at the epoch whose training loss is closest to flooding's final one.
    let plainAtFloodLoss: SeedResult['plainAtFloodLoss'];
    if (chosenLevel > 0) {
      const target = flood.history.at(-1)!.trainLoss;
      let best = plain.history[0]!;
      for (const r of plain.history) {
        if (Math.abs(r.trainLoss - target) < Math.abs(best.trainLoss - target)) best = r;
      }
      const model = newModel();
      model.setWeights(snapshots[best.epoch - 1]!);
      plainAtFloodLoss = {
        ...(await curvature(model)),
        epoch: best.epoch,
        trainLoss: best.trainLoss,
      };
    }
    return {
      noise,
      seed,
      entropy: noisyLabelEntropy(noise, classes),
      trainNoise: splits.trainNoise,
      grid,
      chosenLevel,
      runs,
      ...(plainAtFloodLoss ? { plainAtFloodLoss } : {}),
      data: splits.description,
    };
  } finally {
    for (const m of kept) m.dispose();
    for (const s of snapshots) tf.dispose(s);
    for (const d of [train, validation, test, hessianData]) disposeDeviceData(d);
  }
}
