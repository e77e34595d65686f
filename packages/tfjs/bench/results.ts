/** The shape of `docs/benchmarks.json`. */
import type { Summary } from './stats.js';

/** One optimizer step measured on one model and backend. */
export interface StepResult {
  name: string;
  base: string;
  method: string;
  /** Milliseconds per step. */
  time: Summary;
  /** Median of `this step / plain step` over pairs of adjacent calls (plain step of the same base, model, backend, run). */
  ratio: number;
  /** Quartiles of the per-pair ratios. */
  ratioQ1: number;
  ratioQ3: number;
  /** 95 % bootstrap confidence interval of `ratio`. */
  ratioInterval: [number, number];
  /** Timed pairs behind `ratio`. */
  pairs: number;
  /** The target for `ratio`, if any. */
  target?: number;
  /** Peak bytes of distinct tensor buffers alive during one step beyond those alive before it (not measured on cpu for the large model). */
  peakExtraBytes?: number;
  /** (peakExtraBytes − plain step's) / parameter bytes: extra parameter copies over the plain step. */
  extraParameterCopies?: number;
  /** Kernel launches in one step (tf.profile; independent of machine load; wasm runs only). */
  kernels?: number;
  /** Elements written by those kernels, in parameter counts. */
  elementsPerParameter?: number;
  /** Kernel launches that differ from the plain step's, e.g. `IsFinite+6 Multiply+4`. */
  kernelsVsPlain?: string;
}

/** Every step on one model and backend. */
export interface SuiteResult {
  backend: string;
  model: string;
  parameters: number;
  parameterBytes: number;
  batch: number;
  fastWasmTraining: boolean;
  steps: StepResult[];
}

/** Curvature probes in gradient-evaluation units. */
export interface CurvatureResult {
  backend: string;
  model: string;
  /** Milliseconds, per task. */
  tasks: Record<string, Summary>;
  /** One gradient evaluation at `θ` (`objective.evaluate()`, the same parameters every call), ms. */
  gradientMs: number;
  /**
   * One gradient evaluation at new parameters (`objective.evaluate(δ)`: a new
   * `θ + δ` tensor every call, as in training and at an HVP's two points), ms.
   * On wasm this is dearer than `gradientMs`: XNNPACK packs a matrix product's
   * right operand once per tensor and reuses the packing while the same tensor
   * comes back, which only a fixed `θ` does.
   */
  freshGradientMs: number;
  /** One Hessian-vector product (central differences), in units of `freshGradientMs` (the target's unit). */
  hvp: number;
  /** The same product in units of `gradientMs` (a gradient at a fixed, already packed `θ`). */
  hvpInFixedUnits: number;
  /** One exact Hessian-vector product (double backprop), in units of `freshGradientMs`. */
  exactHvp?: number;
  /** The same exact product in units of `gradientMs`. */
  exactHvpInFixedUnits?: number;
  /** One Lanczos (power-iteration) step of `hessianEigenvalues`, in gradient evaluations (wasm only). */
  lanczosStep?: number;
  /** One Hutchinson probe of `hessianTrace`, in gradient evaluations (wasm only). */
  hutchinsonProbe?: number;
}

/** The effect of `enableFastWasmTraining` on plain SGD steps. */
export interface SpeedupResult {
  backend: string;
  model: string;
  tasks: Record<string, Summary>;
  /** stock median / fast median. */
  coreSpeedup: number;
  layersSpeedup: number;
}

/**
 * The convnet (tfjs-examples MNIST shape, tfjs-layers) on one backend: each wrapper's
 * step against a plain SGD step, and the training kernels @flood/tfjs/wasm adds.
 */
export interface ConvnetResult {
  backend: string;
  model: string;
  parameters: number;
  batch: number;
  fastWasmTraining: boolean;
  /** `plain` first (its time pooled from every pair), then each wrapper paired with it. */
  steps: StepResult[];
  /** Milliseconds per kernel call, by kernel and shape. */
  kernels: Record<string, Summary>;
}

/** Everything one `pnpm bench` run measured. */
export interface BenchResults {
  date: string;
  command: string;
  /** Wall-clock duration of the run (the benchmark itself, after the build). */
  durationSeconds: number;
  /** CPU time the process used: the duration the run would take on an idle machine. */
  cpuSeconds: number;
  /** What the times are: `cpu` = this process's CPU time per call, `wall` = wall-clock. */
  clock: 'cpu' | 'wall';
  machine: {
    cpu: string;
    cores: number;
    memoryGiB: number;
    platform: string;
    node: string;
    tfjs: string;
    loadAverageStart: number[];
    loadAverageEnd: number[];
  };
  settings: Record<string, number>;
  suites: SuiteResult[];
  curvature: CurvatureResult[];
  speedup: SpeedupResult[];
  /** The convnet rows (absent in runs before they existed). */
  convnet?: ConvnetResult[];
}
