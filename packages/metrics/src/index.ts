/**
 * `@flood/metrics`.
 *
 * @packageDocumentation
 */
export {};
