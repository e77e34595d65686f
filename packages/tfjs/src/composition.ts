/**
 * Which optimizer layers may wrap which: flooding (a loss transform) may go
 * over a gradient estimator (SAM, the penalty, backstitch, …); an estimator
 * needs a plain base; two floods do not compose.
 *
 * @module
 */
import type { Spec } from '@flood/core';

/** Whether a layer transforms the loss (flooding) or estimates a gradient (SAM, …). */
export type WrapperKind = 'transform' | 'estimator';

/** A spec's kind as a layer: flooding transforms, a method estimates, `plain` passes through. */
export function layerKind(spec: Spec): WrapperKind | undefined {
  if (spec?.flood) return 'transform';
  return spec?.method === 'plain' ? undefined : 'estimator';
}

/**
 * Throws unless a layer `name` of `kind` may wrap `base` (a layer's class name
 * and kind; undefined for a `tf.train` optimizer, which every layer may wrap):
 * an estimator wraps no layer (flooding goes outside), and flooding does not
 * wrap flooding.
 */
export function checkComposition(
  name: string,
  kind: WrapperKind | undefined,
  base: { className: string; kind: WrapperKind } | undefined,
): void {
  if (!base || kind === undefined) return;
  const inner = base.className;
  if (kind === 'estimator') {
    throw new Error(
      `${name} cannot wrap ${inner}: a gradient estimator needs a plain tf.train optimizer as ` +
        `its base (nesting two estimators has no defined meaning; flooding goes outside: ` +
        `flooding(${name.toLowerCase()}(base)))`,
    );
  }
  if (base.kind === 'transform') {
    throw new Error(
      `${name} cannot wrap ${inner}: two loss transforms do not compose (|‖L − a| + a − b| + b ` +
        `is not flooding); use one level`,
    );
  }
}
