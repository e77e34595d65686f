/**
 * `@flood/schedulers`.
 *
 * @packageDocumentation
 */
export {};
