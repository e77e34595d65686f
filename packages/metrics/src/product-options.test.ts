import { describe, expect, it } from 'vitest';
import { matrixWithSpectrum, quadraticObjective } from '../test/quadratic.js';
import { hessianEigenvalues } from './hessian-eigenvalues.js';
import { hessianTrace } from './hessian-trace.js';
import { productOptions } from './product-options.js';

const a = matrixWithSpectrum([5, -3, 2, 1, 0.5, -0.25], 3);
const theta = Float64Array.of(1, -2, 0.5, 3, 0, -1);
const rms = Math.sqrt(theta.reduce((s, x) => s + x * x, 0) / theta.length);

/** Counts reads of the objective's parameters. */
function counted(objective: ReturnType<typeof quadraticObjective>) {
  const counter = { reads: 0 };
  const parameters = objective.parameters;
  objective.parameters = () => {
    counter.reads++;
    return parameters();
  };
  return counter;
}

describe('productOptions', () => {
  it('fills in parameterRms = ‖θ‖/√n for finite differences', async () => {
    const objective = quadraticObjective(a, { theta, exact: false });
    const options = await productOptions(objective, { relativeStep: 1e-4 });
    expect(options.relativeStep).toBe(1e-4);
    expect(options.parameterRms).toBeCloseTo(rms, 14);
  });

  it('leaves a given parameterRms and exact products alone (no read of θ)', async () => {
    const exact = quadraticObjective(a, { theta });
    const reads = counted(exact);
    expect(await productOptions(exact)).toEqual({});
    const fd = quadraticObjective(a, { theta, exact: false });
    const fdReads = counted(fd);
    expect(await productOptions(fd, { parameterRms: 2 })).toEqual({ parameterRms: 2 });
    expect(reads.reads + fdReads.reads).toBe(0);
    // 'finite-difference' on an objective offering an exact product still needs the step.
    expect((await productOptions(exact, { method: 'finite-difference' })).parameterRms).toBeCloseTo(
      rms,
      14,
    );
  });

  it('hessianTrace and hessianEigenvalues read θ once, not once per product', async () => {
    const trace = quadraticObjective(a, { theta, exact: false });
    const traceReads = counted(trace);
    const t = await hessianTrace(trace, { samples: 6, minSamples: 6, tolerance: 0 });
    expect(t.samples).toBe(6);
    expect(traceReads.reads).toBe(1);
    const eig = quadraticObjective(a, { theta, exact: false });
    const eigReads = counted(eig);
    const e = await hessianEigenvalues(eig, { k: 1, maxIterations: 6 });
    expect(e.gradientEvaluations).toBeGreaterThan(2);
    expect(eigReads.reads).toBe(1);
    expect(e.eigenvalues[0]).toBeCloseTo(5, 4);
  });
});
