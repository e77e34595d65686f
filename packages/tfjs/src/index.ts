/**
 * `@flood/tfjs`: TensorFlow.js optimizers for flooding, backstitch, gradient
 * penalties and SAM, built on `@flood/core`.
 *
 * @packageDocumentation
 */
export {};
