/**
 * How `@flood/tfjs` names, builds and saves the methods of `@flood/core`: one
 * table (the class name a saved model carries, factory option names that
 * differ from the spec's, whether the method takes `perturb`, the name of its
 * rule state), and the one translation between factory options, specs and
 * optimizer configs.
 *
 * @module
 */
import {
  isSchedule,
  methodDefinition,
  type ScheduleLike,
  type Spec,
  validateSpec,
} from '@flood/core';
import type * as tf from '@tensorflow/tfjs-core';
import { type PerturbFilter, requirePerturb } from './perturb.js';
import { scheduleFromConfig, scheduleToConfig } from './schedule-config.js';
import { splitOptions, type WrapperOptions } from './wrapper-options.js';

/** A config dictionary as tfjs serialization passes it around. */
export type Config = tf.serialization.ConfigDict;

/** How the adapter presents one core method. */
export interface MethodAdapter {
  /** The class name an optimizer running the method registers and saves under. */
  readonly className: string;
  /** Factory option names that differ from the spec's (spec name → option name). */
  readonly renamed?: Readonly<Record<string, string>>;
  /** Whether the method probes, so takes `perturb` (which variables the probe moves). */
  readonly perturbs?: boolean;
  /** The name its rule state is saved under (`flood/<Class>/<key>/<i>`). */
  readonly stateKey?: string;
}

/** The class name of flooding (a spec with `flood`, over a plain base or another layer). */
export const FLOODING = 'Flooding';

/** The adapter of every method a factory builds, by the spec's method name. */
const ADAPTERS: Readonly<Record<string, MethodAdapter>> = {
  sam: { className: 'SAM', perturbs: true },
  backstitch: { className: 'Backstitch', perturbs: true },
  // A spec's `method` names the method, so the penalty's `method` option is `estimate` there.
  gradientPenalty: {
    className: 'GradientPenalty',
    renamed: { estimate: 'method' },
    perturbs: true,
  },
  gsam: { className: 'GSAM', perturbs: true },
  lookSam: { className: 'LookSAM', perturbs: true, stateKey: 'gv' },
  friendlySam: { className: 'FriendlySAM', perturbs: true, stateKey: 'm' },
};

/** Every class name a flood optimizer registers under. */
export const CLASS_NAMES: readonly string[] = [
  FLOODING,
  ...Object.values(ADAPTERS).map((a) => a.className),
];

/**
 * The adapter of a method: a built-in's row, or for a method registered with
 * `defineMethod`, its name as class name and its state's name as state key
 * (such an optimizer runs and saves, but loads only once its class name is
 * registered too).
 */
export function adapterOf(method: string): MethodAdapter {
  const state = methodDefinition(method).state?.[0];
  return ADAPTERS[method] ?? { className: method, ...(state ? { stateKey: state } : {}) };
}

/** The class name of an optimizer running `spec` (one layer: flooding, or a method). */
export function classNameOf(spec: Spec): string {
  return spec.flood ? FLOODING : adapterOf(spec.method).className;
}

function methodOfClass(className: string): string {
  const entry = Object.entries(ADAPTERS).find(([, a]) => a.className === className);
  if (!entry) throw new RangeError(`unknown flood optimizer class ${className}`);
  return entry[0];
}

/** The adapter's option names of a method, by spec name. */
function optionNames(method: string): [specName: string, optionName: string][] {
  const renamed = adapterOf(method).renamed ?? {};
  return Object.keys(methodDefinition(method).options).map((k) => [k, renamed[k] ?? k]);
}

/** What a factory's options describe. */
export interface FactoryOptions {
  /** The layer's spec (validated: defaults filled in). */
  spec: Spec;
  /** The shared options. */
  shared: WrapperOptions;
  /** The `perturb` filter, if given. */
  perturb?: PerturbFilter | undefined;
}

/**
 * Reads a factory's options (`'flooding'`, or a method's name): unknown names
 * and bad values throw a RangeError naming the option as the factory spells it.
 */
export function fromFactoryOptions(method: string, options: object | undefined): FactoryOptions {
  if (method === 'flooding') {
    const { shared, method: own } = splitOptions(FLOODING, options, ['level']);
    return {
      spec: validate({ method: 'plain', flood: { level: own.level as ScheduleLike } }, []),
      shared,
    };
  }
  const names = optionNames(method);
  const { perturbs, className } = adapterOf(method);
  const own = [...names.map(([, n]) => n), ...(perturbs ? ['perturb'] : [])];
  const { shared, method: given } = splitOptions(className, options, own);
  const spec: Record<string, unknown> = { method };
  for (const [specName, name] of names) {
    if (given[name] !== undefined) spec[specName] = given[name];
  }
  return {
    spec: validate(spec as Spec, names),
    shared,
    perturb: requirePerturb(given.perturb),
  };
}

/** `validateSpec`, with errors naming renamed options as the factory spells them. */
function validate(spec: Spec, names: [string, string][]): Spec {
  try {
    return validateSpec(spec);
  } catch (error) {
    const renamed = names.find(([s, n]) => s !== n && String(error).includes(`${s} must`));
    if (!(error instanceof RangeError) || !renamed) throw error;
    throw new RangeError(error.message.replace(`${renamed[0]} must`, `${renamed[1]} must`));
  }
}

/** One layer's own config entries: its options under the factory's names, schedules as JSON. */
export function specToConfig(spec: Spec): Config {
  if (spec.flood) return { level: scheduleToConfig(spec.flood.level) as Config[string] };
  const out: Config = {};
  for (const [specName, name] of optionNames(spec.method)) {
    const value = spec[specName];
    if (value === undefined) continue;
    out[name] = (isSchedule(value) ? scheduleToConfig(value) : value) as Config[string];
  }
  return out;
}

/**
 * The spec and `perturb` a saved layer config describes (null entries, as a
 * round trip writes them, are dropped; schedules are rebuilt through the
 * schedule registry).
 */
export function specFromConfig(
  className: string,
  config: Config,
): { spec: Spec; perturb?: boolean[] } {
  if (className === FLOODING) {
    return {
      spec: { method: 'plain', flood: { level: scheduleFromConfig('level', config.level)! } },
    };
  }
  const method = methodOfClass(className);
  const options = methodDefinition(method).options;
  const spec: Record<string, unknown> = { method };
  for (const [specName, name] of optionNames(method)) {
    const value = config[name];
    if (value === null || value === undefined) continue;
    spec[specName] =
      options[specName]!.kind === 'schedule' ? scheduleFromConfig(name, value) : value;
  }
  const perturb = Array.isArray(config.perturb) ? (config.perturb as boolean[]) : undefined;
  return { spec: spec as Spec, ...(perturb ? { perturb } : {}) };
}
