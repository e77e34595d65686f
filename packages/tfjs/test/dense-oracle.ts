/**
 * Test oracle: a stack of Dense layers with mean squared error, in plain float64
 * JS, written independently of tfjs and of the code under test:
 * - the loss and its gradient by backprop written out by hand,
 * - the Hessian-vector product by central differences of that gradient
 *   (`(∇L(θ + εv) − ∇L(θ − εv)) / 2ε`, float64, ε = 1e-5: error O(ε²) plus
 *   rounding ~1e-11; exact up to rounding for a quadratic loss).
 *
 * Parameters follow tfjs-layers' `trainableWeights` order: per layer its kernel
 * `[in, units]` (row-major), then its bias `[units]` when it has one.
 *
 * @module
 */

/** Activations of the oracle (and of the tfjs-layers Dense layers it mirrors). */
export type Activation = 'linear' | 'relu' | 'softplus';

/** One Dense layer. */
export interface DenseSpec {
  units: number;
  activation: Activation;
  bias: boolean;
}

/** A network on fixed data: `x` is `[n, inputs]`, `y` is `[n, units of the last layer]`. */
export interface DenseNet {
  inputs: number;
  layers: readonly DenseSpec[];
  x: readonly (readonly number[])[];
  y: readonly (readonly number[])[];
}

/** The shapes of the parameter blocks, in tfjs-layers `trainableWeights` order. */
export function netShapes(net: DenseNet): number[][] {
  const shapes: number[][] = [];
  let fanIn = net.inputs;
  for (const layer of net.layers) {
    shapes.push([fanIn, layer.units]);
    if (layer.bias) shapes.push([layer.units]);
    fanIn = layer.units;
  }
  return shapes;
}

const act = (a: Activation, z: number) =>
  a === 'linear' ? z : a === 'relu' ? Math.max(z, 0) : Math.log1p(Math.exp(z));
const actPrime = (a: Activation, z: number) =>
  a === 'linear' ? 1 : a === 'relu' ? (z > 0 ? 1 : 0) : 1 / (1 + Math.exp(-z));

interface Layer {
  w: Float64Array;
  b?: Float64Array;
  wOffset: number;
  bOffset: number;
}

function split(net: DenseNet, theta: Float64Array): Layer[] {
  let offset = 0;
  let fanIn = net.inputs;
  return net.layers.map((spec) => {
    const wOffset = offset;
    const w = theta.subarray(offset, offset + fanIn * spec.units);
    offset += fanIn * spec.units;
    const bOffset = offset;
    const b = spec.bias ? theta.subarray(offset, offset + spec.units) : undefined;
    if (spec.bias) offset += spec.units;
    fanIn = spec.units;
    return b ? { w, b, wOffset, bOffset } : { w, wOffset, bOffset };
  });
}

/** Pre-activations of every layer, `[layer][sample][unit]`, and the activations. */
function forward(net: DenseNet, layers: Layer[]) {
  const zs: number[][][] = [];
  const as: number[][][] = [net.x.map((row) => [...row])];
  net.layers.forEach((spec, l) => {
    const { w, b } = layers[l]!;
    const input = as[l]!;
    const fanIn = input[0]!.length;
    const z = input.map((row) =>
      Array.from({ length: spec.units }, (_, j) => {
        let s = b ? b[j]! : 0;
        for (let i = 0; i < fanIn; i++) s += row[i]! * w[i * spec.units + j]!;
        return s;
      }),
    );
    zs.push(z);
    as.push(z.map((row) => row.map((v) => act(spec.activation, v))));
  });
  return { zs, as };
}

/** `L(θ) = mean over samples and outputs of (ŷ − y)²` and its gradient, in float64. */
export function netLossAndGradient(
  net: DenseNet,
  theta: Float64Array,
): { loss: number; gradient: Float64Array } {
  const layers = split(net, theta);
  const { zs, as } = forward(net, layers);
  const out = as[as.length - 1]!;
  const count = out.length * out[0]!.length;
  let loss = 0;
  let dA = out.map((row, i) =>
    row.map((v, j) => {
      const r = v - net.y[i]![j]!;
      loss += (r * r) / count;
      return (2 * r) / count;
    }),
  );
  const gradient = new Float64Array(theta.length);
  for (let l = net.layers.length - 1; l >= 0; l--) {
    const spec = net.layers[l]!;
    const { w, wOffset, bOffset, b } = layers[l]!;
    const input = as[l]!;
    const fanIn = input[0]!.length;
    const dZ = dA.map((row, i) => row.map((d, j) => d * actPrime(spec.activation, zs[l]![i]![j]!)));
    dZ.forEach((row, n) => {
      row.forEach((d, j) => {
        for (let i = 0; i < fanIn; i++)
          gradient[wOffset + i * spec.units + j]! += input[n]![i]! * d;
        if (b) gradient[bOffset + j]! += d;
      });
    });
    dA = dZ.map((row) =>
      Array.from({ length: fanIn }, (_, i) =>
        row.reduce((s, d, j) => s + d * w[i * spec.units + j]!, 0),
      ),
    );
  }
  return { loss, gradient };
}

/** `∇²L(θ)·v` by float64 central differences of {@link netLossAndGradient}'s gradient. */
export function netHessianVector(
  net: DenseNet,
  theta: Float64Array,
  v: Float64Array,
  epsilon = 1e-5,
): Float64Array {
  const plus = theta.map((t, i) => t + epsilon * v[i]!);
  const minus = theta.map((t, i) => t - epsilon * v[i]!);
  const gp = netLossAndGradient(net, plus).gradient;
  const gm = netLossAndGradient(net, minus).gradient;
  return gp.map((g, i) => (g - gm[i]!) / (2 * epsilon));
}

/** The smallest `|pre-activation|` of a ReLU layer (∞ without one): how far θ is from a kink. */
export function netKinkMargin(net: DenseNet, theta: Float64Array): number {
  const { zs } = forward(net, split(net, theta));
  let margin = Number.POSITIVE_INFINITY;
  net.layers.forEach((spec, l) => {
    if (spec.activation !== 'relu') return;
    for (const row of zs[l]!) for (const z of row) margin = Math.min(margin, Math.abs(z));
  });
  return margin;
}

/** Deterministic values in [-1, 1) (an LCG), rounded to float32 so tfjs holds them exactly. */
export function float32Values(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = Math.fround(s / 2 ** 31 - 1);
  }
  return out;
}
