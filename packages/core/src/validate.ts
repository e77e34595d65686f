/**
 * Argument checks shared by every package: each throws a `RangeError` that names
 * the argument, the allowed range and the value it got, e.g.
 * `RangeError: rho must be a finite number >= 0, got -1`.
 *
 * @module
 */

function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : `${typeof value} ${String(value)}`;
}

/**
 * Throws unless `value` is a finite number (rejects NaN, ±Infinity and non-numbers).
 *
 * @param name - the argument's name, quoted in the error.
 * @param value - the value to check.
 * @returns `value`, for chaining.
 * @throws RangeError `"<name> must be a finite number, got <value>"`.
 */
export function requireFinite(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number, got ${describe(value)}`);
  }
  return value;
}

/**
 * Throws unless `value` is a finite number `>= 0` (range `[0, ∞)`).
 *
 * @param name - the argument's name, quoted in the error.
 * @param value - the value to check.
 * @returns `value`, for chaining.
 * @throws RangeError `"<name> must be a finite number >= 0, got <value>"`.
 */
export function requireNonNegative(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${describe(value)}`);
  }
  return value;
}

/**
 * Throws unless `value` is a finite number `> 0` (range `(0, ∞)`).
 *
 * @param name - the argument's name, quoted in the error.
 * @param value - the value to check.
 * @returns `value`, for chaining.
 * @throws RangeError `"<name> must be a finite number > 0, got <value>"`.
 */
export function requirePositive(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a finite number > 0, got ${describe(value)}`);
  }
  return value;
}

/**
 * Throws unless `value` is an integer `>= min`.
 *
 * @param name - the argument's name, quoted in the error.
 * @param value - the value to check.
 * @param min - the smallest allowed value (default 0).
 * @returns `value`, for chaining.
 * @throws RangeError `"<name> must be an integer >= <min>, got <value>"`.
 */
export function requireInteger(name: string, value: number, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${describe(value)}`);
  }
  return value;
}

/**
 * Throws unless `lower <= value <= upper` (or `<` where `open` says so), e.g.
 * `requireInRange('ratio', r, 0, 1, { upperOpen: true })` for `0 <= r < 1`.
 *
 * @param name - the argument's name, quoted in the error.
 * @param value - the value to check (must also be finite).
 * @param lower - the lower bound.
 * @param upper - the upper bound.
 * @param open - which ends are open (excluded); both closed by default.
 * @param open.lowerOpen - exclude `lower` itself.
 * @param open.upperOpen - exclude `upper` itself.
 * @returns `value`, for chaining.
 * @throws RangeError `"<name> must be a finite number in [lower, upper], got <value>"`
 *   (with `(`/`)` for open ends).
 */
export function requireInRange(
  name: string,
  value: number,
  lower: number,
  upper: number,
  open: { lowerOpen?: boolean; upperOpen?: boolean } = {},
): number {
  const lowOk = open.lowerOpen ? value > lower : value >= lower;
  const highOk = open.upperOpen ? value < upper : value <= upper;
  if (typeof value !== 'number' || !Number.isFinite(value) || !lowOk || !highOk) {
    const range = `${open.lowerOpen ? '(' : '['}${lower}, ${upper}${open.upperOpen ? ')' : ']'}`;
    throw new RangeError(`${name} must be a finite number in ${range}, got ${describe(value)}`);
  }
  return value;
}

/**
 * Throws unless `value` is one of `allowed` (compared with `===`-like `includes`).
 *
 * @param name - the argument's name, quoted in the error.
 * @param value - the value to check.
 * @param allowed - the allowed values.
 * @returns `value`, for chaining.
 * @throws RangeError `"<name> must be one of <allowed…>, got <value>"`.
 */
export function requireOneOf<T>(name: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) {
    throw new RangeError(
      `${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
