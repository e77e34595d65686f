/**
 * Data sets the example apps share (private to this repository).
 *
 * @packageDocumentation
 */
export {
  permutation,
  SINUSOID_RADIUS,
  type SinusoidData,
  sinusoid2d,
  sinusoidLabel,
  type Uniform,
} from './sinusoid.js';
