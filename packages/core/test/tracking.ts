/**
 * A leak detector for the rules: a {@link VectorSpace} whose vectors and
 * scalars are boxed objects registered as "live" when made and removed when
 * disposed, and an objective over it. After a rule's proposal is disposed (or
 * the rule throws), nothing may be left live — the property the tfjs adapter
 * relies on for `tf.memory().numTensors` to stay constant — and nothing may have
 * been disposed twice (`disposedTwice`, a count of disposals of dead values).
 */
import { arraySpace } from '../src/array-space.js';
import type { Objective } from '../src/objective.js';
import type { ScalarOps, VectorSpace } from '../src/space.js';

export interface Vec {
  readonly kind: 'vec';
  readonly data: Float64Array;
}
export interface Num {
  readonly kind: 'num';
  readonly value: number;
}

export function trackingSpace(dimension: number) {
  const live = new Set<Vec | Num>();
  let disposedTwice = 0;
  const base = arraySpace(dimension);
  const vec = (data: Float64Array): Vec => {
    const v: Vec = { kind: 'vec', data };
    live.add(v);
    return v;
  };
  const num = (value: number): Num => {
    const s: Num = { kind: 'num', value };
    live.add(s);
    return s;
  };
  const check = <T extends Vec | Num>(x: T): T => {
    if (!live.has(x)) throw new Error('use of a disposed (or foreign) value');
    return x;
  };
  const val = (a: Num | number) => (typeof a === 'number' ? a : check(a).value);
  const scalar: ScalarOps<Num> = {
    of: (x) => num(x),
    add: (a, b) => num(val(a) + val(b)),
    sub: (a, b) => num(val(a) - val(b)),
    mul: (a, b) => num(val(a) * val(b)),
    div: (a, b) => num(val(a) / val(b)),
    sign: (a) => num(Math.sign(val(a))),
    max: (a, b) => num(Math.max(val(a), val(b))),
    greater: (a, b) => num(val(a) > val(b) ? 1 : 0),
    read: async (a) => check(a).value,
  };
  const d = (x: Vec) => check(x).data;
  const space: VectorSpace<Vec, Num> = {
    blocks: base.blocks,
    dimension,
    machineEpsilon: base.machineEpsilon,
    scalar,
    axpby: (a, x, b, y) => vec(base.axpby(val(a), d(x), val(b), d(y))),
    scale: (x, a) => vec(base.scale(d(x), val(a))),
    add: (x, y) => vec(base.add(d(x), d(y))),
    sub: (x, y) => vec(base.sub(d(x), d(y))),
    mul: (x, y) => vec(base.mul(d(x), d(y))),
    absPlus: (x, c) => vec(base.absPlus(d(x), c)),
    dot: (x, y) => num(base.dot(d(x), d(y))),
    norm: (x) => num(base.norm(d(x))),
    zeros: () => vec(base.zeros()),
    clone: (x) => vec(base.clone(d(x))),
    dispose: (...values) => {
      for (const v of values) if (v !== undefined && !live.delete(v)) disposedTwice++;
    },
    scope: (fn) => {
      const before = new Set(live);
      const out = fn();
      for (const v of [...live]) if (!before.has(v) && v !== out) live.delete(v);
      return out;
    },
    keep: (v) => v,
    toArrays: async (x) => base.toArrays(d(x)),
    fromArrays: (parts) => vec(base.fromArrays(parts)),
  };
  return { space, live, vec, num, data: d, disposedTwice: () => disposedTwice };
}

/**
 * An objective over the tracking space for `fn`; evaluation number `failAt`
 * (1-based) throws, to exercise the rules' error paths.
 */
export function trackingObjective(
  fn: (t: Float64Array) => { loss: number; gradient: Float64Array },
  theta: Float64Array,
  failAt = Number.POSITIVE_INFINITY,
) {
  const t = trackingSpace(theta.length);
  let calls = 0;
  // θ + δ on plain arrays: the objective's own temporaries are not tracked.
  const at = (offset?: Vec) => {
    const out = Float64Array.from(theta);
    if (offset) {
      const o = t.data(offset);
      for (let i = 0; i < out.length; i++) out[i]! += o[i]!;
    }
    return out;
  };
  const objective: Objective<Vec, Num> = {
    space: t.space,
    parameters: () => t.vec(Float64Array.from(theta)),
    evaluate: (offset) => {
      calls++;
      if (calls >= failAt) throw new Error(`evaluation ${calls} fails`);
      const r = fn(at(offset));
      return { loss: t.num(r.loss), gradient: t.vec(r.gradient) };
    },
    loss: (offset) => t.num(fn(at(offset)).loss),
    moveBy: (delta) => {
      theta = at(delta);
    },
  };
  return { objective, live: t.live, calls: () => calls, disposedTwice: t.disposedTwice };
}
