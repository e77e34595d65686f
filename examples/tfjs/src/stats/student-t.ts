/**
 * Student's t distribution for the intervals of the demo: its two-sided
 * quantile, from the density integrated numerically and inverted by bisection
 * (no table; checked against published quantiles in the test).
 */

/**
 * Γ((ν + 1)/2) / Γ(ν/2) for an integer ν >= 1, by the recurrence
 * r(ν + 2) = r(ν)·(ν + 1)/ν from r(1) = 1/√π and r(2) = √π/2.
 */
function gammaRatio(dof: number): number {
  let r = dof % 2 === 1 ? 1 / Math.sqrt(Math.PI) : Math.sqrt(Math.PI) / 2;
  for (let v = dof % 2 === 1 ? 1 : 2; v < dof; v += 2) r *= (v + 1) / v;
  return r;
}

/**
 * P(0 <= T <= t) for T ~ Student(ν), t >= 0: Simpson's rule on the density
 * Γ((ν+1)/2)/(√(νπ)Γ(ν/2))·(1 + x²/ν)^(−(ν+1)/2) over [0, t] after the
 * substitution x = tan(u)·√ν, which maps [0, ∞) to [0, π/2) and makes the
 * integrand cos(u)^(ν−1) (smooth, bounded).
 */
function centralMass(t: number, dof: number): number {
  const upper = Math.atan(t / Math.sqrt(dof));
  const steps = 2000;
  const h = upper / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    const w = i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2;
    sum += w * Math.cos(i * h) ** (dof - 1);
  }
  return ((gammaRatio(dof) / Math.sqrt(Math.PI)) * (sum * h)) / 3;
}

/**
 * The two-sided quantile t such that P(|T| <= t) = `level` for T ~ Student(ν)
 * with ν = `dof` degrees of freedom (an integer >= 1): the half-width factor of
 * a `level` confidence interval for a mean of ν + 1 values. For example 4.303
 * at ν = 2 and 2.776 at ν = 4 (95 %).
 */
export function studentQuantile(level: number, dof: number): number {
  const key = `${level}:${dof}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const t = solveQuantile(level, dof);
  cache.set(key, t);
  return t;
}

/** Quantiles already computed (the demo asks for the same few again and again). */
const cache = new Map<string, number>();

function solveQuantile(level: number, dof: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  if (!Number.isInteger(dof) || dof < 1 || dof > 10_000) {
    throw new RangeError(`dof must be an integer in [1, 10000], got ${dof}`);
  }
  const target = level / 2;
  let lo = 0;
  let hi = 1;
  while (centralMass(hi, dof) < target) hi *= 2;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (centralMass(mid, dof) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
