/**
 * Argument checks shared by every package: each throws a `RangeError` that names
 * the argument, the allowed range and the value it got.
 *
 * @module
 */

function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : `${typeof value} ${String(value)}`;
}

/** Throws unless `value` is a finite number. Returns it for chaining. */
export function requireFinite(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number, got ${describe(value)}`);
  }
  return value;
}

/** Throws unless `value` is a finite number `>= 0`. */
export function requireNonNegative(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${describe(value)}`);
  }
  return value;
}

/** Throws unless `value` is a finite number `> 0`. */
export function requirePositive(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a finite number > 0, got ${describe(value)}`);
  }
  return value;
}

/** Throws unless `value` is an integer `>= min` (default 0). */
export function requireInteger(name: string, value: number, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${describe(value)}`);
  }
  return value;
}

/**
 * Throws unless `lower <= value <= upper` (or `<` where `open` says so), e.g.
 * `requireInRange('ratio', r, 0, 1, { upperOpen: true })` for `0 <= r < 1`.
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

/** Throws unless `value` is one of `allowed`. */
export function requireOneOf<T>(name: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) {
    throw new RangeError(
      `${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
