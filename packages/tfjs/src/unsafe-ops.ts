/**
 * Which ops of a recorded loss have no exact second-order gradient: the tape
 * walk behind `exactHessianVectorProduct`'s refusal.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { SECOND_ORDER_SAFE_OPS } from './second-order-safe-ops.js';
import { kernelMarked, MAX_POOL_GRAD_IS_RIGHT, type TapeNode } from './tfjs-internals.js';

/** The op a tape node was recorded for (tfjs names nodes by op scope, e.g. `matMul__op`). */
function opName(node: TapeNode): string {
  return node.kernelName.replace(/__op$/, '');
}

/**
 * Whether `node` is one of the copies tfjs makes of the tensors an op saves for
 * its gradient (`engine.clone`: an Identity of one input `x`, named after the
 * current scope, whose output is in some node's `saved`). Its gradient is the
 * identity; whether the saved copy is used correctly is the saving op's matter.
 */
function isSaveCopy(node: TapeNode, saved: ReadonlySet<number>): boolean {
  const inputs = Object.keys(node.inputs);
  return (
    node.outputs.length === 1 &&
    saved.has(node.outputs[0]!.id) &&
    (node.saved?.length ?? 0) === 0 &&
    inputs.length === 1 &&
    inputs[0] === 'x'
  );
}
/**
 * Whether the `MaxPoolGrad` kernel registered for wasm routes the gradient of a
 * window to its maximum when every entry is negative (or zero):
 * tfjs-backend-wasm 4.22's own kernel sends it to a wrong entry (the test
 * beside `wasm/max-pool-gradient.ts` shows it); the replacement that
 * `@flood/tfjs/wasm` registers (marked {@link MAX_POOL_GRAD_IS_RIGHT}) does
 * not. Decided from the registration, with no value read; any other kernel is
 * taken as the faulty one.
 */
function wasmMaxPoolGradIsRight(): boolean {
  return kernelMarked('MaxPoolGrad', 'wasm', MAX_POOL_GRAD_IS_RIGHT);
}

/**
 * The names of the ops recorded in `nodes` on a path from `sources` (the
 * variables' tensor ids) that are not second-order safe. Ops on constants only
 * (labels through `oneHot`, `floor`, …) do not matter and are not judged.
 */
export function unsafeOps(
  nodes: readonly TapeNode[],
  sources: ReadonlySet<number>,
  fusedBiasWrong: boolean,
): Set<string> {
  const saved = new Set<number>();
  for (const node of nodes) for (const t of node.saved ?? []) saved.add(t.id);
  const fromSources = new Set(sources);
  const wasm = tf.getBackend() === 'wasm';
  const unsafe = new Set<string>();
  for (const node of nodes) {
    const inputs = Object.values(node.inputs).filter((t): t is tf.Tensor => t != null);
    if (!inputs.some((t) => fromSources.has(t.id))) continue;
    for (const t of node.outputs) fromSources.add(t.id);
    if (isSaveCopy(node, saved)) continue;
    const name = opName(node);
    if (!SECOND_ORDER_SAFE_OPS.has(name)) unsafe.add(name);
    else if (wasm && (name === 'MaxPool' || name === 'maxPool') && !wasmMaxPoolGradIsRight()) {
      unsafe.add(
        "maxPool (on wasm: tfjs-backend-wasm 4.22's MaxPoolGrad routes its gradient wrongly; " +
          "registerWasmTrainingKernels() or enableFastWasmTraining() from '@flood/tfjs/wasm' replaces it)",
      );
    } else if (name === 'fusedMatMul' && wasm && node.inputs['2'] && fusedBiasWrong) {
      unsafe.add(
        'fusedMatMul (with a bias, transposed or batched, on wasm: a wrong value; ' +
          "at batch 1, enableFastWasmTraining() from '@flood/tfjs/wasm' makes it right)",
      );
    }
  }
  return unsafe;
}
