/**
 * One (noise, seed) pair cut into tasks that can run on different threads:
 * the flood-level search (plain training, every flood level, the curvature
 * that needs plain's per-epoch weights), and one task per other method. iFlood
 * needs the level the search chose, so its task exists only after the search;
 * the others are independent. {@link assembleSeed} puts the pieces back
 * together in table order.
 */
import type { Method, MethodParameters } from './methods.js';
import {
  adaptiveFloodMethod,
  backstitchMethod,
  gradientPenaltyMethod,
  gsamMethod,
  iFloodMethod,
  lookSamMethod,
  samMethod,
} from './methods.js';
import { floodLevels, type Plan } from './plan.js';
import {
  type GridPoint,
  METHOD_KEYS,
  type MethodKey,
  type RunRecord,
  type SeedResult,
} from './results.js';

export { METHOD_KEYS, type MethodKey } from './results.js';

/** A unit of work: the search of a pair, or one method of a pair. */
export type SeedTask =
  | { readonly kind: 'search'; readonly noise: number; readonly seed: number }
  | {
      readonly kind: 'method';
      readonly noise: number;
      readonly seed: number;
      readonly method: MethodKey;
      /** iFlood's level (the search's choice). */
      readonly level?: number;
    };

/** What the search task returns. */
export interface SearchResult {
  /** Noisy-label entropy H at this noise (nats). */
  readonly entropy: number;
  /** Measured share of flipped training labels. */
  readonly trainNoise: number;
  /** The flood levels tried (b = 0, plain, is not listed). */
  readonly levels: readonly number[];
  /** The search, b = 0 first. */
  readonly grid: readonly GridPoint[];
  /** The level chosen on the noisy validation split. */
  readonly chosenLevel: number;
  /** plain, plain + early stop, flooding, flooding + early stop. */
  readonly runs: readonly RunRecord[];
  /** See {@link SeedResult.plainAtFloodLoss}. */
  readonly plainAtFloodLoss?: SeedResult['plainAtFloodLoss'];
  /** One-line description of the data. */
  readonly data: string;
}

/** What a task returns. */
export type TaskResult =
  | { readonly kind: 'search'; readonly search: SearchResult }
  | { readonly kind: 'method'; readonly method: MethodKey; readonly run: RunRecord };

/** The method objects a task trains (a fresh object per run: adaptive ones hold state). */
export function methodOf(p: MethodParameters, key: MethodKey, level?: number): Method {
  switch (key) {
    case 'iFlood':
      if (level === undefined) throw new RangeError('iFlood needs the level the search chose');
      return iFloodMethod(p, level);
    case 'SAM':
      return samMethod(p);
    case 'backstitch':
      return backstitchMethod(p);
    case 'gradient penalty':
      return gradientPenaltyMethod(p);
    case 'GSAM':
      return gsamMethod(p);
    case 'LookSAM':
      return lookSamMethod(p);
    case 'adaptive flooding':
      return adaptiveFloodMethod(p);
  }
}

/** The methods of a plan run in their own tasks, besides iFlood. */
export function independentMethods(plan: Plan): MethodKey[] {
  return METHOD_KEYS.filter(
    (k) =>
      k !== 'iFlood' &&
      ((k !== 'GSAM' && k !== 'LookSAM') || plan.samVariants) &&
      (k !== 'adaptive flooding' || plan.adaptiveLevel),
  );
}

/** iFlood's level: the chosen one, or the smallest of the grid when plain won the search. */
export function iFloodLevel(search: Pick<SearchResult, 'chosenLevel' | 'levels'>): number {
  return search.chosenLevel > 0 ? search.chosenLevel : search.levels[0]!;
}

/** Gradient-evaluation units of a task (epochs × gradients per step, summed over its runs). */
export function taskUnits(plan: Plan, task: SeedTask): number {
  if (task.kind === 'search') return plan.epochs * (1 + floodLevels(plan, task.noise, 10).length);
  const perStep = methodOf(plan, task.method, 1).gradientsPerStep;
  return plan.epochs * perStep;
}

/** Units of a whole pair (the search, every method and iFlood). */
export function seedUnits(plan: Plan, noise: number): number {
  const search = taskUnits(plan, { kind: 'search', noise, seed: 0 });
  const methods = ['iFlood' as const, ...independentMethods(plan)].map((method) =>
    taskUnits(plan, { kind: 'method', noise, seed: 0, method, level: 1 }),
  );
  return methods.reduce((a, b) => a + b, search);
}

/** The pair's result: the search's rows, then the methods in {@link METHOD_KEYS} order. */
export function assembleSeed(
  noise: number,
  seed: number,
  search: SearchResult,
  methods: ReadonlyMap<MethodKey, RunRecord>,
): SeedResult {
  const others = METHOD_KEYS.flatMap((k) => {
    const run = methods.get(k);
    return run ? [run] : [];
  });
  return {
    noise,
    seed,
    entropy: search.entropy,
    trainNoise: search.trainNoise,
    grid: search.grid,
    chosenLevel: search.chosenLevel,
    runs: [...search.runs, ...others],
    ...(search.plainAtFloodLoss ? { plainAtFloodLoss: search.plainAtFloodLoss } : {}),
    data: search.data,
  };
}
