/**
 * GSAM, LookSAM and Friendly SAM as method specs: an option table and a rule
 * each, over the step functions `gsamStep`, `lookSamStep` and
 * `friendlySamStep` (LookSAM's `gvUnit` and Friendly SAM's `m` are rule state).
 *
 * @module
 */
import type { Objective } from '../objective.js';
import { type ScheduleLike, scheduleValue } from '../schedule.js';
import { requireInRange, requireNonNegative } from '../validate.js';
import {
  DEFAULT_FSAM_MOMENTUM,
  DEFAULT_FSAM_SIGMA,
  type FriendlySamState,
  friendlySamStep,
} from './friendly-sam.js';
import { gsamStep } from './gsam.js';
import { DEFAULT_LOOKSAM_ALPHA, type LookSamState, lookSamStep } from './look-sam.js';
import type { RuleContext, RuleStep } from './rule.js';
import { DEFAULT_ASAM_ETA } from './sam.js';
import type { MethodDefinition, MethodSpec } from './spec.js';

const unit = (name: string, v: number) => requireInRange(name, v, 0, 1);
const rhoAt = (spec: MethodSpec, context: RuleContext<unknown>) =>
  scheduleValue('rho', spec.rho as ScheduleLike, context.step, requireNonNegative);

/** `{ method: 'gsam', rho, alpha, adaptive?, eta? }` (Zhuang et al., ICLR 2022). */
export const gsamMethod: MethodDefinition = {
  method: 'gsam',
  kind: 'estimator',
  options: {
    rho: { kind: 'schedule' },
    alpha: { kind: 'number', check: unit },
    adaptive: { kind: 'boolean', default: false },
    eta: { kind: 'number', default: DEFAULT_ASAM_ETA },
  },
  rule: (spec) => (objective, context) => {
    const rho = rhoAt(spec, context);
    const alpha = spec.alpha as number;
    const params = { rho, alpha, adaptive: spec.adaptive as boolean, eta: spec.eta as number };
    return { ...gsamStep(objective, params, context.mask), hyperparameters: { rho, alpha } };
  },
};

/** `{ method: 'lookSam', rho, every, alpha? }` (Liu et al., CVPR 2022); state `gvUnit`. */
export const lookSamMethod: MethodDefinition = {
  method: 'lookSam',
  kind: 'estimator',
  options: {
    rho: { kind: 'schedule' },
    every: { kind: 'integer', min: 1 },
    alpha: { kind: 'number', check: unit, default: DEFAULT_LOOKSAM_ALPHA },
  },
  state: ['gvUnit'],
  rule:
    (spec) =>
    <V, S>(objective: Objective<V, S>, context: RuleContext<V>): RuleStep<V, S> => {
      const rho = rhoAt(spec, context);
      const alpha = spec.alpha as number;
      const p = lookSamStep(
        objective,
        { rho, every: spec.every as number, alpha },
        context.step,
        context.state as LookSamState<V> | undefined,
        context.mask,
      );
      return { ...p, hyperparameters: { rho, alpha } };
    },
};

/** `{ method: 'friendlySam', rho, sigma?, momentum? }` (Li et al., CVPR 2024); state `m`. */
export const friendlySamMethod: MethodDefinition = {
  method: 'friendlySam',
  kind: 'estimator',
  options: {
    rho: { kind: 'schedule' },
    sigma: { kind: 'number', default: DEFAULT_FSAM_SIGMA },
    momentum: {
      kind: 'number',
      check: (name, v) => requireInRange(name, v, 0, 1, { upperOpen: true }),
      default: DEFAULT_FSAM_MOMENTUM,
    },
  },
  state: ['m'],
  rule:
    (spec) =>
    <V, S>(objective: Objective<V, S>, context: RuleContext<V>): RuleStep<V, S> => {
      const rho = rhoAt(spec, context);
      const p = friendlySamStep(
        objective,
        { rho, sigma: spec.sigma as number, momentum: spec.momentum as number },
        context.state as FriendlySamState<V, S> | undefined,
        context.mask,
      );
      return { ...p, hyperparameters: { rho } };
    },
};
