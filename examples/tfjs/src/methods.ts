/**
 * The methods the demo compares, each a factory of a `tf.Optimizer` around
 * the same base SGD. The backstitch rates come from `@flood/core`'s
 * `backstitchRates`, so backstitch and the explicit gradient penalty aim at the
 * same objective L + λ‖∇L‖² (the seed's equivalence).
 */
import { backstitchRates } from '@flood/core';
import { backstitch, flooding, gradientPenalty, sam } from '@flood/tfjs';
import * as tf from '@tensorflow/tfjs-core';

/** A number for display: at most 6 significant digits, no float noise (0.0195, not 0.019500000000000003). */
function show(x: number): string {
  return String(Number(x.toPrecision(6)));
}

/** Hyper-parameters shared by the methods. */
export interface MethodParameters {
  /** Learning rate η of the base SGD (every method's effective rate). */
  readonly learningRate: number;
  /** Penalty λ on ‖∇L‖² for backstitch and the explicit gradient penalty. */
  readonly penalty: number;
  /** SAM radius ρ. */
  readonly rho: number;
}

/** A method of the comparison. */
export interface Method {
  /** Short name (table, charts). */
  readonly name: string;
  /** The optimizer and its hyper-parameters, in words. */
  readonly setting: string;
  /** Gradient evaluations per training step. */
  readonly gradientsPerStep: number;
  /** A fresh optimizer (it owns its base SGD). */
  readonly create: () => tf.Optimizer;
}

/** Plain SGD with rate η. */
export function plainMethod(p: MethodParameters): Method {
  return {
    name: 'plain',
    setting: `SGD(η = ${p.learningRate})`,
    gradientsPerStep: 1,
    create: () => tf.train.sgd(p.learningRate),
  };
}

/** Flooding at level b around SGD(η): θ ← θ − η·sign(L − b)·∇L. */
export function floodingMethod(p: MethodParameters, level: number): Method {
  return {
    name: 'flooding',
    setting: `flooding(SGD(η = ${p.learningRate}), { level: ${level} }), b chosen on the validation split`,
    gradientsPerStep: 1,
    create: () => flooding(tf.train.sgd(p.learningRate), { level }),
  };
}

/**
 * Backstitch with ε1, ε2 from `backstitchRates({ learningRate: η, penalty: λ })`:
 * ascent ε2·∇L, then SGD(ε1) from there; to second order SGD(η) on L + λ‖∇L‖².
 */
export function backstitchMethod(p: MethodParameters): Method {
  const { descentRate, ascentRate } = backstitchRates({
    learningRate: p.learningRate,
    penalty: p.penalty,
  });
  return {
    name: 'backstitch',
    setting: `backstitch(SGD(ε1 = ${show(descentRate)}), { ascentRate: ε2 = ${show(ascentRate)} }) from backstitchRates({ learningRate: ${show(p.learningRate)}, penalty: ${show(p.penalty)} })`,
    gradientsPerStep: 2,
    create: () => backstitch(tf.train.sgd(descentRate), { ascentRate }),
  };
}

/** Explicit penalty L + λ‖∇L‖² (finite differences along the gradient) around SGD(η). */
export function gradientPenaltyMethod(p: MethodParameters): Method {
  return {
    name: 'gradient penalty',
    setting: `gradientPenalty(SGD(η = ${show(p.learningRate)}), { coefficient: λ = ${show(p.penalty)}, power: 2 })`,
    gradientsPerStep: 2,
    create: () =>
      gradientPenalty(tf.train.sgd(p.learningRate), { coefficient: p.penalty, power: 2 }),
  };
}

/** SAM with radius ρ around SGD(η). */
export function samMethod(p: MethodParameters): Method {
  return {
    name: 'SAM',
    setting: `sam(SGD(η = ${p.learningRate}), { rho: ${p.rho} })`,
    gradientsPerStep: 2,
    create: () => sam(tf.train.sgd(p.learningRate), { rho: p.rho }),
  };
}
