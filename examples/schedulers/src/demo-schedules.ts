/**
 * The schedules the example draws, and their values as chart rows.
 */
import type { Schedule } from '@flood/core';
import {
  backstitchRatio,
  constant,
  cosine,
  exponential,
  floodLevel,
  join,
  linear,
  piecewiseConstant,
  warmup,
} from '@flood/schedulers';

/** One point of a chart line. */
export interface Point {
  /** The chart panel. */
  panel: string;
  /** The line within the panel. */
  series: string;
  /** The x value (a step). */
  step: number;
  /** The y value. */
  value: number;
}

/** A named schedule for one panel. */
export interface NamedSchedule {
  /** The chart panel. */
  panel: string;
  /** The legend label, with the call that builds it. */
  series: string;
  /** The schedule. */
  schedule: Schedule;
}

/** Panel titles. */
export const PANELS = {
  flood: 'Flood level b: off for 100 steps, then warm-up to 0.3 over 200',
  ratio: 'Backstitch ratio ε2/ε1: always in [0, 1)',
  join: 'join and piecewiseConstant (each joined schedule restarts at its step 0)',
} as const;

/** The fixed schedules of the first three panels (the adaptive one is computed from training). */
export function demoSchedules(): NamedSchedule[] {
  // Kaldi's backstitch α = 0.3: ε2 = αη, ε1 = (1+α)η, so ε2/ε1 = α/(1+α).
  const kaldi = 0.3 / 1.3;
  return [
    {
      panel: PANELS.flood,
      series: "floodLevel({ level: 0.3, delay: 100, warmup: 200, shape: 'linear' })",
      schedule: floodLevel({ level: 0.3, delay: 100, warmup: 200, shape: 'linear' }),
    },
    {
      panel: PANELS.flood,
      series: "floodLevel({ level: 0.3, delay: 100, warmup: 200, shape: 'cosine' })",
      schedule: floodLevel({ level: 0.3, delay: 100, warmup: 200, shape: 'cosine' }),
    },
    {
      panel: PANELS.ratio,
      series: 'backstitchRatio(warmup({ steps: 150, to: 0.3/1.3 }))',
      schedule: backstitchRatio(warmup({ steps: 150, to: kaldi })),
    },
    {
      panel: PANELS.ratio,
      series: 'backstitchRatio(exponential({ from: 0.9, rate: 0.5, steps: 100, end: 0.1 }))',
      schedule: backstitchRatio(exponential({ from: 0.9, rate: 0.5, steps: 100, end: 0.1 })),
    },
    {
      panel: PANELS.join,
      series: 'join([linear 0→1 over 50, cosine 1→0.1 over 350, constant(0.1)], [50, 400])',
      schedule: join(
        [
          linear({ from: 0, to: 1, steps: 50 }),
          cosine({ from: 1, to: 0.1, steps: 350 }),
          constant(0.1),
        ],
        [50, 400],
      ),
    },
    {
      panel: PANELS.join,
      series: 'piecewiseConstant({ boundaries: [200, 400], values: [0.8, 0.4, 0.2] })',
      schedule: piecewiseConstant({ boundaries: [200, 400], values: [0.8, 0.4, 0.2] }),
    },
  ];
}

/** Every schedule evaluated at steps 0 … `steps`. */
export function schedulePoints(schedules: readonly NamedSchedule[], steps: number): Point[] {
  const points: Point[] = [];
  for (const { panel, series, schedule } of schedules) {
    for (let step = 0; step <= steps; step++)
      points.push({ panel, series, step, value: schedule(step) });
  }
  return points;
}
