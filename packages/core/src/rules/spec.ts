/**
 * Methods as data: a small serialisable spec per method (`{ method: 'sam',
 * rho: 0.05 }`, with `flood: { level }` for flooding over it), one table of
 * options per method, and {@link ruleOf}, which turns a spec into its rule.
 *
 * @module
 */
import { requireScheduleLike, type ScheduleLike } from '../schedule.js';
import { requireInteger, requireNonNegative, requireOneOf } from '../validate.js';
import { flooded } from './flooding.js';
import { BUILTIN_METHODS } from './methods.js';
import type { Rule } from './rule.js';

/** A method and its options, e.g. `{ method: 'sam', rho: 0.05, adaptive: true }`. */
export interface MethodSpec {
  /** The method's registered name ({@link defineMethod}). */
  readonly method: string;
  /** Its options (numbers, booleans, strings, or schedules where the table allows). */
  readonly [option: string]: unknown;
}

/** Flooding over a method: minimise `|L − b| + b` with the method's gradient. */
export interface FloodSpec {
  /** The flood level `b >= 0` (a number or a schedule). */
  readonly level: ScheduleLike;
}

/** A complete spec: a method, optionally flooded. */
export type Spec = MethodSpec & {
  /** Flooding over the method (`|L − b| + b` at level `b`); absent: not flooded. */
  readonly flood?: FloodSpec;
};

/** How one option is validated, and its default. */
export interface OptionSpec {
  /**
   * `'schedule'`: a number or a `Schedule` of the step, checked by `check` (now,
   * and at every step it is read); `'number'`: a number checked by `check`;
   * `'integer'`: an integer `>= min`; `'boolean'`; `'choice'`: one of `choices`.
   */
  readonly kind: 'schedule' | 'number' | 'integer' | 'boolean' | 'choice';
  /** The range check of a number or schedule value (throws a RangeError naming the option). */
  readonly check?: (name: string, value: number) => number;
  /** The least allowed integer (`'integer'`). */
  readonly min?: number;
  /** The allowed values (`'choice'`). */
  readonly choices?: readonly (string | number)[];
  /** The value when the option is left out; no default and not `optional` makes it required. */
  readonly default?: number | boolean | string;
  /** May be left out without a default (e.g. one of two alternatives). */
  readonly optional?: boolean;
}

/** A method: its option table, cross-option checks and its rule. */
export interface MethodDefinition {
  /** The name specs use (`method: 'sam'`). */
  readonly method: string;
  /**
   * `'estimator'` (its gradient replaces the plain one, so flooding may go over
   * it but it may not go over another estimator) or `'plain'`.
   */
  readonly kind: 'estimator' | 'plain';
  /** The options besides `method`, with their validation and defaults. */
  readonly options: Readonly<Record<string, OptionSpec>>;
  /**
   * Checks beyond the table (e.g. exactly one of two options), on the spec as
   * given, before its values are validated; throws a RangeError.
   */
  readonly check?: (spec: MethodSpec) => void;
  /**
   * Checks a validated spec against what is known of the base optimizer when
   * the optimizer is built (its learning rate `η` and descent rate `ε1`), so a
   * bad combination fails at construction, not at the first step; throws a
   * RangeError.
   */
  readonly checkBase?: (
    spec: MethodSpec,
    rates: { learningRate?: number | undefined; descentRate?: number | undefined },
  ) => void;
  /** Whether the rule needs the objective's exact Hessian-vector product. */
  readonly exactHessian?: (spec: MethodSpec) => boolean;
  /** The names of the state vectors a stateful rule carries (saved with the optimizer). */
  readonly state?: readonly string[];
  /** The rule of a validated spec. */
  readonly rule: (spec: MethodSpec) => Rule;
}

const methods = new Map<string, MethodDefinition>(BUILTIN_METHODS.map((m) => [m.method, m]));

/**
 * Registers a method, so specs can name it. `@flood/core` registers `plain`,
 * `sam`, `backstitch`, `gradientPenalty`, `gsam`, `lookSam` and `friendlySam`.
 *
 * @throws Error if a method of that name is already registered.
 */
export function defineMethod(definition: MethodDefinition): void {
  if (methods.has(definition.method)) {
    throw new Error(`method '${definition.method}' is already defined`);
  }
  methods.set(definition.method, definition);
}

/** The registered methods' names. */
export function methodNames(): string[] {
  return [...methods.keys()];
}

/**
 * The definition of a registered method.
 *
 * @throws RangeError naming the known methods if `method` is not one.
 */
export function methodDefinition(method: unknown): MethodDefinition {
  const definition = typeof method === 'string' ? methods.get(method) : undefined;
  if (!definition) {
    throw new RangeError(
      `method must be one of ${methodNames().join(', ')}, got ${String(method)}`,
    );
  }
  return definition;
}

function validateOption(name: string, o: OptionSpec, value: unknown): unknown {
  switch (o.kind) {
    case 'schedule':
      return requireScheduleLike(name, value, o.check ?? requireNonNegative);
    case 'number':
      if (typeof value !== 'number') {
        throw new RangeError(`${name} must be a number, got ${typeof value}`);
      }
      return (o.check ?? requireNonNegative)(name, value);
    case 'integer':
      return requireInteger(name, value as number, o.min ?? 0);
    case 'boolean':
      if (typeof value !== 'boolean') {
        throw new RangeError(`${name} must be a boolean, got ${typeof value}`);
      }
      return value;
    case 'choice':
      return requireOneOf(name, value, o.choices ?? []);
  }
}

/**
 * Checks a spec against its method's option table and fills in the defaults:
 * unknown options, missing required ones and values out of range throw a
 * RangeError naming the option and its allowed range. `flood.level` is a
 * number `>= 0` or a schedule.
 *
 * @returns a new spec with every defaulted option present.
 */
export function validateSpec(spec: Spec): Spec {
  if (typeof spec !== 'object' || spec === null) {
    throw new RangeError(`spec must be an object with a method, got ${String(spec)}`);
  }
  const definition = methodDefinition(spec.method);
  const out: Record<string, unknown> = { method: definition.method };
  const allowed = Object.keys(definition.options);
  for (const key of Object.keys(spec)) {
    if (key !== 'method' && key !== 'flood' && !allowed.includes(key)) {
      throw new RangeError(
        `unknown option '${key}' for ${definition.method}; allowed: ${allowed.join(', ')}`,
      );
    }
  }
  definition.check?.(spec);
  for (const [name, o] of Object.entries(definition.options)) {
    const value = spec[name];
    if (value === undefined) {
      if (o.default !== undefined) out[name] = o.default;
      else if (!o.optional) throw new RangeError(`${definition.method} needs ${name}`);
      continue;
    }
    out[name] = validateOption(name, o, value);
  }
  if (spec.flood !== undefined) {
    if (typeof spec.flood !== 'object' || spec.flood === null) {
      throw new RangeError('flood must be an object { level }');
    }
    out.flood = { level: requireScheduleLike('level', spec.flood.level, requireNonNegative) };
  }
  return out as Spec;
}

/** The rule a (validated) spec describes: the method's rule, flooded if `spec.flood` is set. */
export function ruleOf(spec: Spec): Rule {
  const definition = methodDefinition(spec.method);
  const rule = definition.rule(spec);
  return spec.flood ? flooded(rule, spec.flood.level, definition.method === 'plain') : rule;
}

/** The hyper-parameters of a spec that may be schedules, by name (`level` for flooding). */
export function scheduledOptions(spec: Spec): Record<string, ScheduleLike> {
  const definition = methodDefinition(spec.method);
  const out: Record<string, ScheduleLike> = {};
  for (const [name, o] of Object.entries(definition.options)) {
    if (o.kind === 'schedule' && spec[name] !== undefined) out[name] = spec[name] as ScheduleLike;
  }
  if (spec.flood) out.level = spec.flood.level;
  return out;
}
