/**
 * The options every flood optimizer accepts besides its method's own, in one
 * table: validation, defaults and config round trip.
 *
 * @module
 */
import type { PerturbFilter } from './perturb.js';

/** What a wrapper does when a step meets a non-finite loss or gradient. */
export type NonFinitePolicy = 'error' | 'skip';

/** Options every wrapper accepts. */
export interface WrapperOptions {
  /**
   * A step whose loss (at `θ` or at the probe) or gradient is NaN or ±∞ is
   * refused on the device: the weights and the base optimizer's state are left
   * bit-identical (see `commitIfFinite`), with no read-back in the step. The
   * refusal is counted on the device and reported at the next read-back point
   * ({@link FloodOptimizer.checkNonFinite}, which `floodCallback` calls at every
   * epoch end and `getWeights` calls before saving): `'error'` (default) makes
   * that call throw, `'skip'` only counts. Until then the base optimizer's
   * iteration count includes the refused steps; the read takes them back out.
   */
  onNonFinite?: NonFinitePolicy;
  /**
   * Let probe passes update non-trainable variables such as BatchNorm moving
   * statistics (default false: they are restored after every probe pass, so the
   * statistics are those of the pass at `θ`).
   */
  statefulProbe?: boolean;
  /**
   * Give every pass of a step the same dropout masks where that is possible
   * without touching `Math.random`: in `model.fit`/`fitDataset` the unseeded
   * `Dropout` layers get one seed per step in every pass (default true; Kaldi's
   * backstitch re-seeds the same way).
   */
  sameRandomness?: boolean;
  /**
   * Compute `‖∇L(θ)‖` on every step for {@link LastStep.gradientNorm} even when
   * the rule does not need it (default false; only flooding over a plain base
   * skips it otherwise). `floodCallback` turns it on for the optimizer it
   * reports on; the property {@link FloodOptimizer.recordGradientNorm} can be
   * changed at any time.
   */
  recordGradientNorm?: boolean;
}

/** What the `FloodOptimizer` constructor takes besides the base and the spec. */
export interface FloodOptimizerOptions extends WrapperOptions {
  /** Which variables the probe moves (probing methods only; default all). */
  perturb?: PerturbFilter | undefined;
}

/** The shared options: their defaults (the values allowed besides a boolean's two, for `onNonFinite`). */
const SHARED: { readonly [K in keyof WrapperOptions]-?: Required<WrapperOptions>[K] } = {
  onNonFinite: 'error',
  statefulProbe: false,
  sameRandomness: true,
  recordGradientNorm: false,
};
const POLICIES: readonly NonFinitePolicy[] = ['error', 'skip'];

/** The shared option names, in the order configs list them. */
export const WRAPPER_OPTION_NAMES = Object.keys(SHARED) as (keyof WrapperOptions)[];

/** The shared options with their defaults filled in. */
export type ResolvedWrapperOptions = Required<WrapperOptions>;

/**
 * Validates the shared options (RangeError naming the option) and fills in the
 * defaults.
 */
export function resolveWrapperOptions(options: WrapperOptions = {}): ResolvedWrapperOptions {
  const out: Record<string, unknown> = { ...SHARED };
  for (const key of WRAPPER_OPTION_NAMES) {
    const value = options[key];
    if (value === undefined) continue;
    if (key === 'onNonFinite' && !POLICIES.includes(value as NonFinitePolicy)) {
      throw new RangeError(`onNonFinite must be 'error' or 'skip', got ${String(value)}`);
    }
    if (key !== 'onNonFinite' && typeof value !== 'boolean') {
      throw new RangeError(`${key} must be a boolean, got ${typeof value}`);
    }
    out[key] = value;
  }
  return out as ResolvedWrapperOptions;
}

/**
 * Splits a factory's options into the shared ones and the method's own,
 * refusing names that are neither (`own` lists the method's option names).
 */
export function splitOptions(
  className: string,
  options: object | undefined,
  own: readonly string[],
): { shared: WrapperOptions; method: Record<string, unknown> } {
  const shared: Record<string, unknown> = {};
  const method: Record<string, unknown> = {};
  const allowed = [...own, ...WRAPPER_OPTION_NAMES];
  for (const [key, value] of Object.entries(options ?? {})) {
    if ((WRAPPER_OPTION_NAMES as readonly string[]).includes(key)) shared[key] = value;
    else if (own.includes(key)) method[key] = value;
    else {
      throw new RangeError(
        `unknown option '${key}' for ${className}; allowed: ${allowed.join(', ')}`,
      );
    }
  }
  return { shared: shared as WrapperOptions, method };
}

/** The shared options from a config (null entries, as a round trip writes them, are dropped). */
export function wrapperOptionsFromConfig(config: Record<string, unknown>): WrapperOptions {
  const out: Record<string, unknown> = {};
  for (const key of WRAPPER_OPTION_NAMES) {
    const value = config[key];
    if (typeof value === 'string' || typeof value === 'boolean') out[key] = value;
  }
  return out as WrapperOptions;
}
