/**
 * What `@flood/tfjs` reads and writes of the tfjs engine's state beyond its
 * public API: the gradient tape and the tensors a scope tracks.
 * Part of `tfjs-internals.ts` (see there).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

/** A gradient tape node, as far as `@flood/tfjs` reads it. */
export interface TapeNode {
  /** The op scope (`matMul__op`) or kernel name (`BatchMatMul`) it was recorded under. */
  kernelName: string;
  /** Its input tensors, by input name. */
  inputs: Record<string, tf.Tensor | undefined>;
  /** Its output tensors. */
  outputs: readonly tf.Tensor[];
  /** The tensors it saved for its gradient. */
  saved?: readonly tf.Tensor[];
}

/** The engine's state, as far as `@flood/tfjs` reads or writes it. */
interface EngineState {
  state: {
    /** How many gradient computations are running (0 outside any). */
    gradientDepth: number;
    /** The innermost scope, with every tensor made in it in creation order. */
    activeScope: { track: tf.Tensor[] } | null;
    /** The nodes recorded on the gradient tape, in order (null outside a gradient computation). */
    activeTape: TapeNode[] | null;
  };
}

/**
 * Frees the tensors the engine saved for backprop when a loss threw inside
 * `tf.variableGrads` (tfjs frees them only after a completed backward pass).
 * Assumption (tfjs 4.22): the engine's `state.activeTape` holds the recorded
 * nodes, each with the tensors it saved in `saved`, and `gradientDepth` is 0
 * outside any gradient computation.
 */
export function releaseAbandonedTape(): void {
  const { state } = tf.engine() as unknown as EngineState;
  if (state.gradientDepth === 0 && state.activeTape) {
    for (const node of state.activeTape) if (node.saved) tf.dispose([...node.saved]);
    state.activeTape = null;
  }
}

/**
 * Runs `fn` and returns its result with the tensors `fn` created and
 * `tf.keep`-ed at the level of the current scope (tfjs-layers' training closure
 * keeps each metric value there), other than the result and the tensors the
 * engine saved for backprop (which it keeps too). Read-only: nothing is patched.
 * Assumption (tfjs 4.22): the engine tracks every tensor made in a scope on
 * `state.activeScope.track` in creation order, `tf.keep` only sets the tensor's
 * `kept` flag, and the gradient tape lists the saved tensors in each node's `saved`.
 */
export function keptBy<T>(fn: () => T): { result: T; kept: tf.Tensor[] } {
  const { state } = tf.engine() as unknown as EngineState;
  const scope = state.activeScope;
  const start = scope ? scope.track.length : 0;
  const result = fn();
  if (!scope) return { result, kept: [] };
  const fresh = scope.track.slice(start).filter((t) => t.kept && !t.isDisposed && t !== result);
  if (fresh.length === 0) return { result, kept: [] };
  const saved = new Set((state.activeTape ?? []).flatMap((node) => node.saved ?? []));
  return { result, kept: fresh.filter((t) => !saved.has(t)) };
}

/**
 * Runs `fn` and returns its result with the gradient tape nodes recorded while
 * it ran (none outside a gradient computation). Read-only. Assumption (tfjs
 * 4.22): inside `tf.grad`/`tf.variableGrads` the engine appends a node to
 * `state.activeTape` for every kernel (or op scope) run, in order, with its
 * `kernelName`, `inputs` by name, `outputs` and `saved` tensors.
 */
export function tapeRecordedBy<T>(fn: () => T): { result: T; nodes: TapeNode[] } {
  const { state } = tf.engine() as unknown as EngineState;
  const start = state.activeTape?.length ?? 0;
  const result = fn();
  return { result, nodes: state.activeTape?.slice(start) ?? [] };
}
