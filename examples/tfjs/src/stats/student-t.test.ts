import { describe, expect, it } from 'vitest';
import { studentQuantile } from './student-t.js';

describe('studentQuantile', () => {
  it('matches published two-sided 95 % and 99 % quantiles', () => {
    // Standard t tables (e.g. NIST/SEMATECH e-Handbook, Table of t critical values).
    const table: [number, number, number][] = [
      [0.95, 1, 12.7062047],
      [0.95, 2, 4.30265273],
      [0.95, 4, 2.77644511],
      [0.95, 9, 2.26215716],
      [0.95, 29, 2.04522964],
      [0.99, 4, 4.60409487],
    ];
    for (const [level, dof, t] of table) expect(studentQuantile(level, dof)).toBeCloseTo(t, 5);
  });

  it('tends to the normal quantile 1.95996 for many degrees of freedom', () => {
    expect(studentQuantile(0.95, 5000)).toBeCloseTo(1.96, 2);
  });

  it('rejects bad arguments', () => {
    expect(() => studentQuantile(1, 3)).toThrow(/level/);
    expect(() => studentQuantile(0.95, 0)).toThrow(/dof/);
    expect(() => studentQuantile(0.95, 2.5)).toThrow(/dof/);
  });
});
