import { arraySpace } from '@flood/core';
import { describe, expect, it } from 'vitest';
import { matrixWithSpectrum, multiply, quadraticObjective } from '../test/quadratic.js';
import { lossInterpolation, lossLandscape, normalizedDirection } from './landscape.js';
import { randomArrays, seededGenerator } from './random.js';

const blocks = [
  { name: 'kernel', shape: [2, 3] },
  { name: 'bias', shape: [3] },
  { name: 'conv', shape: [1, 2, 1, 2] },
];
const a = matrixWithSpectrum([3, 1, 2, 0.5, 4, 1.5, 2.5, 0.2, 1, 3, 2, 0.7, 1.1], 6);
const theta = Float64Array.of(1, -2, 3, 0.5, 0.25, -1, 7, 8, 9, 0.1, 0.2, 0.3, 0.4);
const quadratic = (t: Float64Array) => 0.5 * t.reduce((s, x, i) => s + x * multiply(a, t)[i]!, 0);

describe('normalizedDirection', () => {
  const space = arraySpace(13, blocks);
  const w = [theta.slice(0, 6), theta.slice(6, 9), theta.slice(9)];
  it("'filter': each last-axis slice gets the norm of θ's slice; 1-D blocks get zero", () => {
    const d = normalizedDirection(space, w, 3, 'filter');
    // kernel [2, 3]: filter j = entries j, j + 3 (column j).
    for (let j = 0; j < 3; j++) {
      expect(Math.hypot(d[0]![j]!, d[0]![j + 3]!)).toBeCloseTo(
        Math.hypot(theta[j]!, theta[j + 3]!),
        9,
      );
    }
    expect(Array.from(d[1]!)).toEqual([0, 0, 0]);
    // conv [1, 2, 1, 2]: filter j = entries j, j + 2.
    expect(Math.hypot(d[2]![0]!, d[2]![2]!)).toBeCloseTo(Math.hypot(0.1, 0.3), 9);
    expect(Math.hypot(d[2]![1]!, d[2]![3]!)).toBeCloseTo(Math.hypot(0.2, 0.4), 9);
    // Direction within a filter is the raw Gaussian's.
    const raw = randomArrays(space, seededGenerator(3), 'gaussian');
    expect(d[0]![0]! / d[0]![3]!).toBeCloseTo(raw[0]![0]! / raw[0]![3]!, 12);
  });
  it("'layer' scales whole blocks; 'none' is the raw Gaussian", () => {
    const d = normalizedDirection(space, w, 3, 'layer');
    expect(Math.hypot(...d[0]!)).toBeCloseTo(Math.hypot(...theta.slice(0, 6)), 9);
    expect(Math.hypot(...d[1]!)).toBe(0);
    expect(normalizedDirection(space, w, 3, 'none')).toEqual(
      randomArrays(space, seededGenerator(3), 'gaussian'),
    );
  });
});

describe('lossLandscape', () => {
  it('1-D: the loss along θ + α d (checked by direct evaluation)', async () => {
    const objective = quadraticObjective(a, { theta, blocks });
    const r = await lossLandscape(objective, { points: 5, range: [-2, 2], seed: 4 });
    expect(r.coordinates).toEqual([-2, -1, 0, 1, 2]);
    const space = arraySpace(13, blocks);
    const d = space.fromArrays(
      normalizedDirection(space, await space.toArrays(theta), 4, 'filter'),
    );
    (r.losses as number[]).forEach((l, i) => {
      const point = theta.map((x, j) => x + r.coordinates[i]! * d[j]!);
      expect(l).toBeCloseTo(quadratic(point), 10);
    });
    expect((r.losses as number[])[2]).toBeCloseTo(r.loss, 12);
    expect(r.lossEvaluations).toBe(6);
    expect(r.gradientEvaluations).toBe(0);
  });
  it('2-D: a points × points grid, centre = L(θ), deterministic', async () => {
    const objective = quadraticObjective(a, { theta, blocks });
    const r = await lossLandscape(objective, { dimensions: 2, points: 3, seed: 1 });
    const grid = r.losses as number[][];
    expect(grid.length).toBe(3);
    expect(grid.every((row) => row.length === 3)).toBe(true);
    expect(grid[1]![1]).toBeCloseTo(quadratic(theta), 12);
    // A quadratic along two directions: L(θ+αd₁+βd₂) − L(θ+αd₁) − L(θ+βd₂) + L(θ) = αβ·d₁ᵀAd₂,
    // so the mixed difference is antisymmetric in the corners.
    expect(grid[0]![0]! + grid[2]![2]! - grid[0]![2]! - grid[2]![0]!).not.toBeCloseTo(0, 6);
    expect(await lossLandscape(objective, { dimensions: 2, points: 3, seed: 1 })).toEqual(r);
    expect(objective.parameters()).toEqual(theta);
  });
  it('rejects a zero direction and bad options', async () => {
    const flat = quadraticObjective(a, { theta });
    await expect(lossLandscape(flat)).rejects.toThrow(/zero direction/);
    expect((await lossLandscape(flat, { normalization: 'none', points: 3 })).losses).toHaveLength(
      3,
    );
    await expect(lossLandscape(flat, { range: [1, -1] })).rejects.toThrow(/range/);
    await expect(lossLandscape(flat, { points: 0 })).rejects.toThrow(/points/);
    await expect(lossLandscape(flat, { dimensions: 3 as 1 })).rejects.toThrow(/dimensions/);
  });
});

describe('lossInterpolation', () => {
  it('goes from L(θ) to L(θ′) along the segment', async () => {
    const objective = quadraticObjective(a, { theta, blocks });
    const other = theta.map((x, i) => -x + 0.1 * i);
    const r = await lossInterpolation(objective, other, { points: 5, range: [-0.5, 1.5] });
    expect(r.coordinates).toEqual([-0.5, 0, 0.5, 1, 1.5]);
    const at = (alpha: number) =>
      quadratic(theta.map((x, i) => (1 - alpha) * x + alpha * other[i]!));
    r.losses.forEach((l, i) => {
      expect(l).toBeCloseTo(at(r.coordinates[i]!), 10);
    });
    expect(r.lossEvaluations).toBe(5);
  });
});
