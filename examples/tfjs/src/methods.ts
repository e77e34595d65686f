/**
 * The methods the demo compares, each a factory of a `tf.Optimizer` around a
 * fresh Adam with the same learning rate. Backstitch's ascent rate is 2λ, so
 * backstitch and the explicit gradient penalty hand Adam the gradient of the
 * same objective L + λ‖∇L‖² to first order (the seed's equivalence).
 */
import type { TrainingObservation } from '@flood/core';
import { type AdaptiveFloodLevel, adaptiveFloodLevel } from '@flood/schedulers';
import { backstitch, flooding, gradientPenalty, gsam, lookSam, sam } from '@flood/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { backstitchAscent } from './plan.js';

/** A number for display: at most 6 significant digits, no float noise. */
function show(x: number): string {
  return String(Number(x.toPrecision(6)));
}

/** Hyper-parameters shared by the methods. */
export interface MethodParameters {
  /** Adam's learning rate. */
  readonly learningRate: number;
  /** λ on ‖∇L‖² (gradient penalty; backstitch ascends 2λ). */
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
  /** A fresh optimizer (it owns its base Adam). */
  readonly create: () => tf.Optimizer;
  /** Batch flooding level b (for floodProp), when the optimizer floods. */
  readonly floodLevel?: number;
  /** iFlood level b: the training loss is mean_i(|ℓ_i − b| + b) (floodLoss individual). */
  readonly individualLevel?: number;
  /**
   * An adaptive level to tell the epoch's losses (training loop: after every
   * epoch, at the optimizer step reached). Such a method object belongs to one run.
   */
  readonly adaptive?: AdaptiveFloodLevel;
}

const adam = (p: MethodParameters) => tf.train.adam(p.learningRate);

/** Plain Adam. */
export function plainMethod(p: MethodParameters): Method {
  return {
    name: 'plain',
    setting: `Adam(${show(p.learningRate)})`,
    gradientsPerStep: 1,
    create: () => adam(p),
  };
}

/** Flooding at level b around Adam: Adam steps on sign(L − b)·∇L (Ishida et al.). */
export function floodingMethod(p: MethodParameters, level: number): Method {
  return {
    name: `flooding b=${show(level)}`,
    setting: `flooding(Adam(${show(p.learningRate)}), { level: ${show(level)} })`,
    gradientsPerStep: 1,
    floodLevel: level,
    create: () => flooding(adam(p), { level }),
  };
}

/** iFlood (Xie et al.): per-example flooding, floodLoss(…, { level, individual: true }), with Adam. */
export function iFloodMethod(p: MethodParameters, level: number): Method {
  return {
    name: 'iFlood',
    setting: `Adam(${show(p.learningRate)}) on floodLoss(cross-entropy, { level: ${show(level)}, individual: true }), b = flooding's b`,
    gradientsPerStep: 1,
    individualLevel: level,
    create: () => adam(p),
  };
}

/**
 * Backstitch with ascent rate ε2 = 2λ around Adam: θ' = θ + ε2∇L(θ), then Adam
 * steps with ∇L(θ') ≈ ∇[L + λ‖∇L‖²](θ).
 */
export function backstitchMethod(p: MethodParameters): Method {
  const ascentRate = backstitchAscent(p.penalty);
  return {
    name: 'backstitch',
    setting: `backstitch(Adam(${show(p.learningRate)}), { ascentRate: ε2 = ${show(ascentRate)} }) (ε2 = 2λ)`,
    gradientsPerStep: 2,
    create: () => backstitch(adam(p), { ascentRate }),
  };
}

/** Explicit penalty L + λ‖∇L‖² around Adam. */
export function gradientPenaltyMethod(p: MethodParameters): Method {
  return {
    name: 'gradient penalty',
    setting: `gradientPenalty(Adam(${show(p.learningRate)}), { coefficient: λ = ${show(p.penalty)}, power: 2 })`,
    gradientsPerStep: 2,
    create: () => gradientPenalty(adam(p), { coefficient: p.penalty, power: 2 }),
  };
}

/** SAM with radius ρ around Adam. */
export function samMethod(p: MethodParameters): Method {
  return {
    name: 'SAM',
    setting: `sam(Adam(${show(p.learningRate)}), { rho: ${show(p.rho)} })`,
    gradientsPerStep: 2,
    create: () => sam(adam(p), { rho: p.rho }),
  };
}

/** GSAM (Zhuang et al., ICLR 2022) with SAM's ρ and α = 0.1 around Adam. */
export function gsamMethod(p: MethodParameters): Method {
  return {
    name: 'GSAM',
    setting: `gsam(Adam(${show(p.learningRate)}), { rho: ${show(p.rho)}, alpha: 0.1 })`,
    gradientsPerStep: 2,
    create: () => gsam(adam(p), { rho: p.rho, alpha: 0.1 }),
  };
}

/** LookSAM (Liu et al., CVPR 2022): a SAM step every 5th step, the reused direction otherwise (α = 0.7). */
export function lookSamMethod(p: MethodParameters): Method {
  return {
    name: 'LookSAM',
    setting: `lookSam(Adam(${show(p.learningRate)}), { rho: ${show(p.rho)}, every: 5, alpha: 0.7 })`,
    // One extra gradient every 5th step.
    gradientsPerStep: 1.2,
    create: () => lookSam(adam(p), { rho: p.rho, every: 5, alpha: 0.7 }),
  };
}

/** The options of the demo's adaptive flood level (see {@link adaptiveFloodMethod}). */
export const ADAPTIVE_LEVEL = { fraction: 1, patience: 2 } as const;

/**
 * Flooding whose level is `adaptiveFloodLevel` from @flood/schedulers: b = 0
 * (plain Adam) until the noisy-validation loss has not improved for `patience`
 * epochs, then b = `fraction` × that epoch's training loss, kept to the end
 * (fraction 1, patience 2: the "training loss at the validation minimum" rule
 * of docs/choosing-the-flood-level.md, automated). The returned method holds
 * the schedule, so call this once per run.
 */
export function adaptiveFloodMethod(p: MethodParameters): Method {
  const level = adaptiveFloodLevel({ ...ADAPTIVE_LEVEL });
  return {
    name: 'adaptive flooding',
    setting: `flooding(Adam(${show(p.learningRate)}), { level: adaptiveFloodLevel({ fraction: ${ADAPTIVE_LEVEL.fraction}, patience: ${ADAPTIVE_LEVEL.patience} }) }), told the training and noisy-validation loss after every epoch`,
    gradientsPerStep: 1,
    adaptive: level,
    create: () => flooding(adam(p), { level }),
  };
}

/** Tells an adaptive method's level one epoch's losses (no-op for other methods). */
export function observeEpoch(method: Method, observation: TrainingObservation): void {
  method.adaptive?.observe(observation);
}
