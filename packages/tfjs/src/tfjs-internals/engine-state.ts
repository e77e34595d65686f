/**
 * What `@flood/tfjs` reads and writes of the tfjs engine's state beyond its
 * public API: the gradient tape, the tensors a scope tracks and the buffer
 * behind a tensor.
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
    /** Each live buffer (`dataId`) and the backend holding it. */
    tensorInfo: { get(dataId: object): { backend: tf.KernelBackend } | undefined };
  };
  /** Wraps an existing buffer in a new tracked tensor (no backend reference counted). */
  makeTensorFromTensorInfo(info: {
    dataId: object;
    shape: number[];
    dtype: tf.DataType;
  }): tf.Tensor;
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

/**
 * A second tensor on `x`'s buffer, made without a kernel launch: what the
 * `Reshape` kernel of a same-shape reshape returns on cpu, wasm, webgl and
 * webgpu (the backend counts one more reference to the buffer, the engine wraps
 * the same `dataId` in a new tensor, tracked in the current scope), minus the
 * kernel call and its bookkeeping. The buffer lives until both are disposed, so
 * `variable.assign` (which disposes the variable's old value) leaves it intact.
 * Assumption (tfjs 4.22): `engine.state.tensorInfo` maps a live `dataId` to the
 * backend holding it; `engine.makeTensorFromTensorInfo` tracks a tensor without
 * counting a backend reference; each backend's `incRef(dataId)` adds one that
 * disposing a tensor on that `dataId` takes back.
 */
export function shareBuffer<T extends tf.Tensor>(x: T): T {
  const engine = tf.engine() as unknown as EngineState;
  const info = engine.state.tensorInfo.get(x.dataId);
  if (info === undefined) throw new Error('shareBuffer: x is disposed');
  const twin = engine.makeTensorFromTensorInfo({
    dataId: x.dataId,
    shape: x.shape,
    dtype: x.dtype,
  });
  info.backend.incRef(x.dataId);
  return twin as T;
}
