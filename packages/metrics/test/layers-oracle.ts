/**
 * Test oracle: the loss of a small layer stack (Dense, Conv2D, pooling,
 * Flatten, BatchNormalization in inference mode, Embedding; linear, relu, elu, selu, tanh,
 * sigmoid, softmax; the tfjs-layers cross-entropies and mean squared error),
 * its gradient and its exact Hessian in plain float64 JS, written independently
 * of tfjs and of the code under test.
 *
 * Method: reverse-mode differentiation over *dual numbers* `a + b·ε` (ε² = 0).
 * Running the forward pass and the backward pass in dual arithmetic at
 * `θ + εv` gives `∇L(θ) + ε·∇²L(θ)v`: Pearlmutter's R-operator, exact to
 * float64 rounding (ReLU and clipping masks are decided on the real part, so
 * kinks cost nothing). The dense Hessian is `n` such products with unit `v`.
 *
 * Parameters follow tfjs-layers' `trainableWeights` order: per layer kernel then
 * bias (`[in, units]`, `[kh, kw, cin, filters]`, row-major), BatchNormalization
 * gamma then beta, Embedding its table `[inputDim, outputDim]` (its input: the
 * example's indices, output: their rows, `[length, outputDim]`). Moving
 * statistics are constants.
 *
 * @module
 */

/** Activations the oracle mirrors (tfjs-layers names). */
export type OracleActivation = 'linear' | 'relu' | 'elu' | 'selu' | 'tanh' | 'sigmoid' | 'softmax';
/** Compiled losses the oracle mirrors (tfjs-layers names). */
export type OracleLoss =
  | 'categoricalCrossentropy'
  | 'sparseCategoricalCrossentropy'
  | 'binaryCrossentropy'
  | 'meanSquaredError';

/** One layer (convolutions and pools: stride 1 / stride = size, 'valid' padding, NHWC). */
export type OracleLayer =
  | { kind: 'dense'; units: number; activation: OracleActivation }
  | { kind: 'conv2d'; filters: number; kernelSize: number; activation: OracleActivation }
  | { kind: 'maxPool2d'; size: number }
  | { kind: 'avgPool2d'; size: number }
  | { kind: 'flatten' }
  | { kind: 'embedding'; inputDim: number; outputDim: number }
  | { kind: 'batchNorm'; epsilon: number; movingMean: Float64Array; movingVariance: Float64Array };

/** A network on fixed data: each `x[i]` has `inputShape` (flat, row-major); `y[i]` is the target row. */
export interface OracleNet {
  inputShape: readonly number[];
  layers: readonly OracleLayer[];
  loss: OracleLoss;
  x: readonly Float64Array[];
  y: readonly Float64Array[];
}

class Dual {
  constructor(
    readonly a: number,
    readonly b: number,
  ) {}
}
const ZERO = new Dual(0, 0);
const ONE = new Dual(1, 0);
const dAdd = (x: Dual, y: Dual) => new Dual(x.a + y.a, x.b + y.b);
const dMul = (x: Dual, y: Dual) => new Dual(x.a * y.a, x.a * y.b + x.b * y.a);
const dDiv = (x: Dual, y: Dual) => new Dual(x.a / y.a, (x.b * y.a - x.a * y.b) / (y.a * y.a));

/** A node of the scalar tape: its dual value, adjoint and local derivatives. */
class Node {
  adjoint = ZERO;
  constructor(
    readonly value: Dual,
    readonly parents: readonly (readonly [Node, Dual])[],
  ) {}
}

/** The scalar tape of one pass. */
class Tape {
  readonly nodes: Node[] = [];
  node(value: Dual, parents: readonly (readonly [Node, Dual])[]): Node {
    const n = new Node(value, parents);
    if (parents.length > 0) this.nodes.push(n);
    return n;
  }
  constant = (c: number) => new Node(new Dual(c, 0), []);
  add = (x: Node, y: Node) =>
    this.node(dAdd(x.value, y.value), [
      [x, ONE],
      [y, ONE],
    ]);
  sub = (x: Node, y: Node) =>
    this.node(dAdd(x.value, dMul(new Dual(-1, 0), y.value)), [
      [x, ONE],
      [y, new Dual(-1, 0)],
    ]);
  mul = (x: Node, y: Node) =>
    this.node(dMul(x.value, y.value), [
      [x, y.value],
      [y, x.value],
    ]);
  div = (x: Node, y: Node) => {
    const q = dDiv(x.value, y.value);
    return this.node(q, [
      [x, dDiv(ONE, y.value)],
      [y, dMul(new Dual(-1, 0), dDiv(q, y.value))],
    ]);
  };
  exp = (x: Node) => {
    const e = Math.exp(x.value.a);
    const v = new Dual(e, e * x.value.b);
    return this.node(v, [[x, v]]);
  };
  log = (x: Node) =>
    this.node(new Dual(Math.log(x.value.a), x.value.b / x.value.a), [[x, dDiv(ONE, x.value)]]);
  /** `x` where `keep` (decided on real parts), else the constant `c`: relu, clipping, max. */
  select = (x: Node, keep: boolean, c = 0) => (keep ? x : this.constant(c));
  sum = (xs: readonly Node[]) => xs.reduce((s, x) => this.add(s, x));
  /** Σ of `x` after the last op: reverse sweep in creation order. */
  backward(out: Node): void {
    out.adjoint = ONE;
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const n = this.nodes[i]!;
      for (const [p, local] of n.parents) p.adjoint = dAdd(p.adjoint, dMul(n.adjoint, local));
    }
  }
}

function activate(t: Tape, a: OracleActivation, z: Node[]): Node[] {
  switch (a) {
    case 'linear':
      return z;
    case 'relu':
      return z.map((x) => t.select(x, x.value.a > 0));
    case 'elu':
      return z.map((x) => (x.value.a > 0 ? x : t.sub(t.exp(x), t.constant(1))));
    case 'selu': {
      // Klambauer et al.'s constants, as tfjs.
      const [scale, alpha] = [1.0507009873554805, 1.6732632423543772];
      return z.map((x) =>
        x.value.a > 0
          ? t.mul(t.constant(scale), x)
          : t.mul(t.constant(scale * alpha), t.sub(t.exp(x), t.constant(1))),
      );
    }
    case 'tanh':
      return z.map((x) => {
        const e = t.exp(t.mul(t.constant(-2), x));
        return t.div(t.sub(t.constant(1), e), t.add(t.constant(1), e));
      });
    case 'sigmoid':
      return z.map((x) =>
        t.div(t.constant(1), t.add(t.constant(1), t.exp(t.mul(t.constant(-1), x)))),
      );
    case 'softmax': {
      const shift = t.constant(Math.max(...z.map((x) => x.value.a)));
      const e = z.map((x) => t.exp(t.sub(x, shift)));
      const total = t.sum(e);
      return e.map((x) => t.div(x, total));
    }
  }
}

const EPSILON = 1e-7;
/** tfjs-layers' clip to `[1e-7, 1 − 1e-7]` (zero derivative outside). */
function clip(t: Tape, p: Node): Node {
  if (p.value.a < EPSILON) return t.constant(EPSILON);
  if (p.value.a > 1 - EPSILON) return t.constant(1 - EPSILON);
  return p;
}

/** tfjs-layers' categorical cross-entropy: `−Σ y log clip(p/Σp)`. */
function categorical(t: Tape, p: Node[], y: ArrayLike<number>): Node {
  const total = t.sum(p);
  const terms = p.map((pj, j) => t.mul(t.constant(y[j]!), t.log(clip(t, t.div(pj, total)))));
  return t.mul(t.constant(-1), t.sum(terms));
}

function perExampleLoss(t: Tape, loss: OracleLoss, out: Node[], y: Float64Array): Node {
  switch (loss) {
    case 'categoricalCrossentropy':
      return categorical(t, out, y);
    case 'sparseCategoricalCrossentropy': {
      const oneHot = out.map((_, j) => (j === Math.floor(y[0]!) ? 1 : 0));
      return categorical(
        t,
        out.map((p) => clip(t, p)),
        oneHot,
      );
    }
    case 'binaryCrossentropy': {
      const terms = out.map((raw, j) => {
        const p = clip(t, raw);
        const q = t.sub(t.constant(1), p);
        return t.add(t.mul(t.constant(y[j]!), t.log(p)), t.mul(t.constant(1 - y[j]!), t.log(q)));
      });
      return t.mul(t.constant(-1 / out.length), t.sum(terms));
    }
    case 'meanSquaredError': {
      const terms = out.map((p, j) => {
        const d = t.sub(p, t.constant(y[j]!));
        return t.mul(d, d);
      });
      return t.mul(t.constant(1 / out.length), t.sum(terms));
    }
  }
}

/** The shapes of the trainable blocks, in tfjs-layers order. */
export function oracleShapes(net: OracleNet): number[][] {
  const shapes: number[][] = [];
  let shape = [...net.inputShape];
  for (const layer of net.layers) {
    if (layer.kind === 'dense') {
      shapes.push([shape[shape.length - 1]!, layer.units], [layer.units]);
      shape = [layer.units];
    } else if (layer.kind === 'conv2d') {
      const [h, w, c] = shape as [number, number, number];
      const k = layer.kernelSize;
      shapes.push([k, k, c, layer.filters], [layer.filters]);
      shape = [h - k + 1, w - k + 1, layer.filters];
    } else if (layer.kind === 'maxPool2d' || layer.kind === 'avgPool2d') {
      const [h, w, c] = shape as [number, number, number];
      shape = [Math.floor(h / layer.size), Math.floor(w / layer.size), c];
    } else if (layer.kind === 'flatten') {
      shape = [shape.reduce((a, b) => a * b, 1)];
    } else if (layer.kind === 'embedding') {
      shapes.push([layer.inputDim, layer.outputDim]);
      shape = [...shape, layer.outputDim];
    } else {
      const c = shape[shape.length - 1]!;
      shapes.push([c], [c]);
    }
  }
  return shapes;
}

/** Mean loss over the examples at `θ + εv`: value, gradient and `∇²L·v`. */
export function oracleEvaluate(
  net: OracleNet,
  theta: Float64Array,
  v: Float64Array = new Float64Array(theta.length),
): { loss: number; gradient: Float64Array; hv: Float64Array } {
  const t = new Tape();
  const params = Array.from(theta, (x, i) => new Node(new Dual(x, v[i]!), []));
  const losses: Node[] = [];
  for (let e = 0; e < net.x.length; e++) {
    let offset = 0;
    const take = (size: number) => {
      offset += size;
      return params.slice(offset - size, offset);
    };
    let shape = [...net.inputShape];
    let a = Array.from(net.x[e]!, (x) => t.constant(x));
    for (const layer of net.layers) {
      if (layer.kind === 'dense') {
        const fanIn = a.length;
        const w = take(fanIn * layer.units);
        const b = take(layer.units);
        const z = b.map((bj, j) =>
          t.add(bj, t.sum(a.map((ai, i) => t.mul(ai, w[i * layer.units + j]!)))),
        );
        a = activate(t, layer.activation, z);
        shape = [layer.units];
      } else if (layer.kind === 'conv2d') {
        const [h, wd, c] = shape as [number, number, number];
        const k = layer.kernelSize;
        const f = layer.filters;
        const w = take(k * k * c * f);
        const b = take(f);
        const [oh, ow] = [h - k + 1, wd - k + 1];
        const z: Node[] = [];
        for (let i = 0; i < oh; i++) {
          for (let j = 0; j < ow; j++) {
            for (let q = 0; q < f; q++) {
              const terms: Node[] = [b[q]!];
              for (let di = 0; di < k; di++) {
                for (let dj = 0; dj < k; dj++) {
                  for (let ch = 0; ch < c; ch++) {
                    const input = a[((i + di) * wd + (j + dj)) * c + ch]!;
                    terms.push(t.mul(input, w[((di * k + dj) * c + ch) * f + q]!));
                  }
                }
              }
              z.push(t.sum(terms));
            }
          }
        }
        a = activate(t, layer.activation, z);
        shape = [oh, ow, f];
      } else if (layer.kind === 'maxPool2d' || layer.kind === 'avgPool2d') {
        const [h, wd, c] = shape as [number, number, number];
        const s = layer.size;
        const [oh, ow] = [Math.floor(h / s), Math.floor(wd / s)];
        const out: Node[] = [];
        for (let i = 0; i < oh; i++) {
          for (let j = 0; j < ow; j++) {
            for (let ch = 0; ch < c; ch++) {
              const window: Node[] = [];
              for (let di = 0; di < s; di++) {
                for (let dj = 0; dj < s; dj++)
                  window.push(a[((i * s + di) * wd + (j * s + dj)) * c + ch]!);
              }
              if (layer.kind === 'avgPool2d')
                out.push(t.mul(t.constant(1 / (s * s)), t.sum(window)));
              else out.push(window.reduce((m, x) => (x.value.a > m.value.a ? x : m)));
            }
          }
        }
        a = out;
        shape = [oh, ow, c];
      } else if (layer.kind === 'flatten') {
        shape = [a.length];
      } else if (layer.kind === 'embedding') {
        const table = take(layer.inputDim * layer.outputDim);
        const rows = a.map((index) => Math.round(index.value.a));
        a = rows.flatMap((r) => table.slice(r * layer.outputDim, (r + 1) * layer.outputDim));
        shape = [rows.length, layer.outputDim];
      } else {
        const c = shape[shape.length - 1]!;
        const gamma = take(c);
        const beta = take(c);
        a = a.map((x, i) => {
          const ch = i % c;
          const inv = 1 / Math.sqrt(layer.movingVariance[ch]! + layer.epsilon);
          const centred = t.mul(t.sub(x, t.constant(layer.movingMean[ch]!)), t.constant(inv));
          return t.add(t.mul(centred, gamma[ch]!), beta[ch]!);
        });
      }
    }
    losses.push(perExampleLoss(t, net.loss, a, net.y[e]!));
  }
  const total = t.mul(t.constant(1 / losses.length), t.sum(losses));
  t.backward(total);
  return {
    loss: total.value.a,
    gradient: Float64Array.from(params, (p) => p.adjoint.a),
    hv: Float64Array.from(params, (p) => p.adjoint.b),
  };
}

/** The dense Hessian, column by column (`n` exact products), symmetrised. */
export function oracleHessian(net: OracleNet, theta: Float64Array): number[][] {
  const n = theta.length;
  const cols = Array.from({ length: n }, (_, j) => {
    const e = new Float64Array(n);
    e[j] = 1;
    return oracleEvaluate(net, theta, e).hv;
  });
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (cols[j]![i]! + cols[i]![j]!) / 2),
  );
}
