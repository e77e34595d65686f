/**
 * Runs the tasks of a (noise, seed) pair (see seed-tasks.ts): the flood-level
 * search on the noisy validation split, or one other method, each from the
 * pair's initial weights and batch order, with the curvature of the final
 * models. {@link runSeed} runs a whole pair in this thread.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type Curvature, measureCurvature } from './curvature.js';
import { loadSplits } from './data/load.js';
import {
  floodingMethod,
  type Method,
  type MethodParameters,
  observeEpoch,
  plainMethod,
} from './methods.js';
import { buildMlp } from './model.js';
import { noisyLabelEntropy } from './noise.js';
import { floodLevels, type Plan } from './plan.js';
import { chooseLevel, earlyStopEpoch, type RunRecord, type SeedResult } from './results.js';
import {
  assembleSeed,
  iFloodLevel,
  independentMethods,
  type MethodKey,
  methodOf,
  type SearchResult,
  type SeedTask,
  type TaskResult,
} from './seed-tasks.js';
import { type DeviceData, disposeDeviceData, toDevice } from './tensors.js';
import { type EpochRecord, trainRun } from './train.js';

interface Trained {
  readonly method: Method;
  readonly history: EpochRecord[];
  readonly model: tfl.LayersModel;
  readonly seconds: number;
}

/** Called after every epoch with the gradient-evaluation units it took and the method's name. */
export type OnUnits = (units: number, label: string) => void;

/** A pair's data on the device and the helpers its runs share; everything is freed by `dispose`. */
interface PairContext {
  readonly plan: Plan;
  readonly noise: number;
  readonly seed: number;
  readonly classes: number;
  readonly description: string;
  readonly trainNoise: number;
  readonly batches: number;
  train(method: Method, snapshots?: tf.Tensor[][]): Promise<Trained>;
  curvature(model: tfl.LayersModel): Promise<Curvature>;
  newModel(): tfl.LayersModel;
  dispose(): void;
}

function openPair(plan: Plan, noise: number, seed: number, onUnits?: OnUnits): PairContext {
  const splits = loadSplits({ ...plan, noise }, seed);
  const classes = splits.train.classes;
  const data: DeviceData[] = [];
  const upload = (d: Parameters<typeof toDevice>[0]) => {
    const t = toDevice(d);
    data.push(t);
    return t;
  };
  const train = upload(splits.train);
  const validation = upload(splits.validation);
  const test = upload(splits.test);
  const hn = Math.min(plan.hessianExamples, splits.train.n);
  const hessianData = upload({
    ...splits.train,
    n: hn,
    x: splits.train.x.subarray(0, hn * splits.train.features),
    y: splits.train.y.subarray(0, hn),
  });
  const kept: tfl.LayersModel[] = [];
  const batches = Math.ceil(splits.train.n / plan.batchSize);
  const newModel = () => {
    const model = buildMlp({ inputs: splits.train.features, hidden: plan.hidden, classes, seed });
    kept.push(model);
    return model;
  };
  return {
    plan,
    noise,
    seed,
    classes,
    description: splits.description,
    trainNoise: splits.trainNoise,
    batches,
    newModel,
    async train(method, snapshots) {
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
            if (snapshots) snapshots.push(model.getWeights().map((w) => w.clone()));
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
    },
    curvature: (model) =>
      measureCurvature(model, hessianData, {
        iterations: plan.hessianIterations,
        samples: plan.traceSamples,
        seed,
      }),
    dispose() {
      for (const m of kept) m.dispose();
      for (const d of data) disposeDeviceData(d);
    },
  };
}

/** A table row from a trained run, with the curvature of its model when `measure`. */
async function row(
  pair: PairContext,
  name: string,
  t: Trained,
  reportedEpoch: number,
  measure: boolean,
  setting = t.method.setting,
): Promise<RunRecord> {
  return {
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
            .changes.map((c) => ({ epoch: c.step / pair.batches, level: c.level })),
        }
      : {}),
    ...(measure ? { curvature: { ...(await pair.curvature(t.model)), epoch: reportedEpoch } } : {}),
  };
}

async function search(pair: PairContext): Promise<SearchResult> {
  const { plan, noise, classes } = pair;
  const params: MethodParameters = plan;
  const snapshots: tf.Tensor[][] = [];
  try {
    // b = 0 is plain training.
    const plain = await pair.train(plainMethod(params), snapshots);
    const levels = floodLevels(plan, noise, classes);
    const floods: { level: number; trained: Trained }[] = [];
    for (const level of levels) {
      floods.push({ level, trained: await pair.train(floodingMethod(params, level)) });
    }
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
    const last = plan.epochs;
    const floodSetting =
      chosenLevel > 0
        ? `${flood.method.setting}, b chosen on the noisy validation split from {0, ${levels.join(', ')}}`
        : `b = 0 won the search over {0, ${levels.join(', ')}}: plain Adam`;
    const early = 'model of the epoch with the best noisy-validation accuracy';
    const runs: RunRecord[] = [
      await row(pair, 'plain', plain, last, true),
      await row(
        pair,
        'plain + early stop',
        plain,
        earlyStopEpoch(plain.history),
        false,
        `${plain.method.setting}, ${early}`,
      ),
      await row(pair, 'flooding', flood, last, true, floodSetting),
      await row(
        pair,
        'flooding + early stop',
        flood,
        earlyStopEpoch(flood.history),
        false,
        `${floodSetting}; ${early}`,
      ),
    ];
    // Plain at the epoch whose training loss is closest to flooding's final one.
    let plainAtFloodLoss: SeedResult['plainAtFloodLoss'];
    if (chosenLevel > 0) {
      const target = flood.history.at(-1)!.trainLoss;
      let best = plain.history[0]!;
      for (const r of plain.history) {
        if (Math.abs(r.trainLoss - target) < Math.abs(best.trainLoss - target)) best = r;
      }
      const model = pair.newModel();
      model.setWeights(snapshots[best.epoch - 1]!);
      plainAtFloodLoss = {
        ...(await pair.curvature(model)),
        epoch: best.epoch,
        trainLoss: best.trainLoss,
      };
    }
    return {
      entropy: noisyLabelEntropy(noise, classes),
      trainNoise: pair.trainNoise,
      levels,
      grid,
      chosenLevel,
      runs,
      ...(plainAtFloodLoss ? { plainAtFloodLoss } : {}),
      data: pair.description,
    };
  } finally {
    for (const s of snapshots) tf.dispose(s);
  }
}

/** Runs one task. `onUnits` is called after every epoch of its runs. */
export async function runTask(plan: Plan, task: SeedTask, onUnits?: OnUnits): Promise<TaskResult> {
  const pair = openPair(plan, task.noise, task.seed, onUnits);
  try {
    if (task.kind === 'search') return { kind: 'search', search: await search(pair) };
    const method = methodOf(plan, task.method, task.level);
    const trained = await pair.train(method);
    return {
      kind: 'method',
      method: task.method,
      run: await row(pair, method.name, trained, plan.epochs, true),
    };
  } finally {
    pair.dispose();
  }
}

/** Runs every task of (noise, seed) in this thread and assembles the pair's result. */
export async function runSeed(
  plan: Plan,
  noise: number,
  seed: number,
  onUnits?: OnUnits,
): Promise<SeedResult> {
  const first = await runTask(plan, { kind: 'search', noise, seed }, onUnits);
  if (first.kind !== 'search') throw new Error('the search task returned a method');
  const methods = new Map<MethodKey, RunRecord>();
  const keys: [MethodKey, number | undefined][] = [
    ['iFlood', iFloodLevel(first.search)],
    ...independentMethods(plan).map((k): [MethodKey, undefined] => [k, undefined]),
  ];
  for (const [method, level] of keys) {
    const r = await runTask(
      plan,
      { kind: 'method', noise, seed, method, ...(level === undefined ? {} : { level }) },
      onUnits,
    );
    if (r.kind === 'method') methods.set(r.method, r.run);
  }
  return assembleSeed(noise, seed, first.search, methods);
}
