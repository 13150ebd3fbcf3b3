// Float64 reference for neural networks, written as the lecture writes them: forward
// propagation, the regularised cost, backpropagation, and the numerical gradient by central
// differences. Θ⁽ˡ⁾ is s_{l+1} × (s_l + 1), column 0 the bias weights (src/models/layout.ts);
// every layer has a bias unit a₀⁽ˡ⁾ = 1. Hidden units apply g — σ as in the lecture unless the
// network names others from the activation registry, each a float64 pair from
// ./activations.ts. The output layer is one of the heads of ./regression.ts (K sigmoid units,
// as in the lecture, or softmax). The oracle for src/models/backpropagation.ts.

import { ACTIVATIONS, type ActivationName } from '../activations.js';
import { ThetaLayout } from '../models/layout.js';
import { Random } from '../random.js';
import { type HostMatrix, hostMatrix } from './matmul.js';
import { type HeadName, exampleCost, hypothesisRow, penalty, predictLabel } from './regression.js';

export interface NetworkReference {
  /** [s₁, …, s_L]: inputs, hidden layers, outputs. */
  layers: readonly number[];
  head: HeadName;
  /** Θ⁽¹⁾ … Θ⁽ᴸ⁻¹⁾. */
  theta: HostMatrix[];
  /** g of each hidden layer; default sigmoid throughout. */
  activations?: readonly ActivationName[];
}

/** Hidden layer l's g (l = 0 for a⁽²⁾): sigmoid unless the network names another. */
function activationOf(net: NetworkReference, l: number) {
  return ACTIVATIONS[net.activations?.[l] ?? 'sigmoid'];
}

/** Θ⁽ˡ⁾ from one flat array, layer after layer, each row-major (the GPU's parameter buffer). */
export function unflatten(layers: readonly number[], flat: ArrayLike<number>): HostMatrix[] {
  const layout = new ThetaLayout(layers);
  if (layout.total !== flat.length) throw new Error(`unflatten: ${flat.length} values for layers ${layers.join('-')} that hold ${layout.total}`);
  return layout.blocks.map((b) => hostMatrix(b.rows, b.cols, Array.from({ length: b.rows * b.cols }, (_, i) => flat[b.offset + i]!)));
}

export function flatten(theta: readonly HostMatrix[]): Float64Array {
  const out = new Float64Array(theta.reduce((s, t) => s + t.data.length, 0));
  let at = 0;
  for (const t of theta) {
    out.set(t.data, at);
    at += t.data.length;
  }
  return out;
}

/**
 * Random initialisation: every Θ⁽ˡ⁾ uniform in [−εₗ, εₗ], εₗ = √6 / √(sₗ + sₗ₊₁) unless
 * `epsilon` is given, from one seeded generator in layer order, row-major — the same numbers
 * the GPU model starts from. (Zero initialisation would keep every hidden unit identical.)
 */
export function randomTheta(layers: readonly number[], seed: number, epsilon?: number): HostMatrix[] {
  const rng = new Random(seed);
  return layers.slice(0, -1).map((s, l) => {
    const next = layers[l + 1]!;
    const eps = epsilon ?? Math.sqrt(6) / Math.sqrt(s + next);
    return hostMatrix(next, s + 1, rng.floats(next * (s + 1), -eps, eps));
  });
}

/**
 * Forward propagation of one example: the activations a⁽¹⁾ … a⁽ᴸ⁻¹⁾ (without bias units), z⁽ᴸ⁾,
 * and every layer's z⁽²⁾ … z⁽ᴸ⁾ in `zs`.
 */
export function forward(net: NetworkReference, x: ArrayLike<number>): { a: number[][]; z: number[]; zs: number[][] } {
  const a: number[][] = [Array.from(x)];
  const zs: number[][] = [];
  net.theta.forEach((t, l) => {
    const input = [1, ...a[l]!]; // the bias unit a₀ = 1
    const z = Array.from({ length: t.rows }, (_, k) => input.reduce((s, v, j) => s + t.data[k * t.cols + j]! * v, 0));
    zs.push(z);
    if (l + 1 < net.theta.length) a.push(z.map(activationOf(net, l).reference.value));
  });
  return { a, z: zs[zs.length - 1]!, zs };
}

/**
 * J(Θ) = Σᵢ cost(h⁽ⁱ⁾, y⁽ⁱ⁾) + (λ/2) Σₗ Σ Θ⁽ˡ⁾² over every non-bias weight; mean = J/m (the
 * lecture's J with its 1/m). Accuracy: fraction of examples whose predicted class is right.
 */
export function networkCost(net: NetworkReference, x: HostMatrix, y: ArrayLike<number>, lambda = 0): { total: number; mean: number; accuracy: number } {
  let total = 0;
  let right = 0;
  for (let i = 0; i < x.rows; i++) {
    const { z } = forward(net, x.data.subarray(i * x.cols, (i + 1) * x.cols));
    total += exampleCost(net.head, z, y[i]!);
    right += predictLabel(net.head, z) === y[i] ? 1 : 0;
  }
  total += (lambda / 2) * net.theta.reduce((s, t) => s + penalty(t), 0);
  return { total, mean: total / x.rows, accuracy: net.head === 'linear' ? NaN : right / x.rows };
}

/** Every quantity of backpropagation for one example, as the lecture names them. */
export interface BackpropTrace {
  /** a⁽¹⁾ … a⁽ᴸ⁻¹⁾ (without bias units), then h = a⁽ᴸ⁾. */
  a: number[][];
  /** z⁽²⁾ … z⁽ᴸ⁾. */
  z: number[][];
  /** δ⁽²⁾ … δ⁽ᴸ⁾ (δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y). */
  delta: number[][];
  /** Δ⁽¹⁾ … Δ⁽ᴸ⁻¹⁾ = δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ with the bias unit: this example's share of the gradient. */
  Delta: HostMatrix[];
}

/**
 * Backpropagation of one example: forward to h; δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y (y a class index, or a value for
 * a linear head); δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ ⊙ g′(z⁽ˡ⁾) without the bias row, g′ from the saved activation
 * (σ: a⁽ˡ⁾ ⊙ (1 − a⁽ˡ⁾)) or from z⁽ˡ⁾ where the registry says; Δ⁽ˡ⁾ = δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ with the bias unit. Walks the layers in reverse.
 */
export function backpropExample(net: NetworkReference, x: ArrayLike<number>, y: number): BackpropTrace {
  const K = net.layers[net.layers.length - 1]!;
  const { a, zs } = forward(net, x);
  const h = hypothesisRow(net.head, zs[zs.length - 1]!);
  const oneHot = net.head === 'softmax' || net.head === 'sigmoid';
  let d = h.map((v, k) => v - (oneHot ? (y === k ? 1 : 0) : y)); // δ⁽ᴸ⁾
  if (d.length !== K) throw new Error('head and layer size disagree');
  const delta: number[][] = [d];
  const Delta: HostMatrix[] = [];
  for (let l = net.theta.length - 1; l >= 0; l--) {
    const t = net.theta[l]!;
    const input = [1, ...a[l]!];
    Delta.unshift(hostMatrix(t.rows, t.cols, Array.from({ length: t.rows * t.cols }, (_, p) => d[Math.floor(p / t.cols)]! * input[p % t.cols]!)));
    if (l > 0) {
      const entry = activationOf(net, l - 1);
      const g = entry.reference;
      // g′ from what the forward pass saves: a⁽ˡ⁾, or z⁽ˡ⁾ (the registry's derivativeFrom).
      const saved = entry.derivativeFrom === 'z' ? zs[l - 1]! : a[l]!;
      const prev = d;
      d = a[l]!.map((_, j) => {
        let s = 0;
        for (let k = 0; k < t.rows; k++) s += t.data[k * t.cols + j + 1]! * prev[k]!;
        return s * g.gradient(saved[j]!);
      });
      delta.unshift(d);
    }
  }
  return { a: [...a, h], z: zs, delta, Delta };
}

/**
 * Backpropagation over every example (backpropExample), Δ⁽ˡ⁾ summed; then
 * D⁽ˡ⁾ = Δ⁽ˡ⁾/m + (λ/m)Θ⁽ˡ⁾ for j ≠ 0 and Δ⁽ˡ⁾/m for the bias column.
 */
export function backprop(net: NetworkReference, x: HostMatrix, y: ArrayLike<number>, lambda = 0): HostMatrix[] {
  const m = x.rows;
  const sum = net.theta.map((t) => hostMatrix(t.rows, t.cols));
  for (let i = 0; i < m; i++) {
    const { Delta } = backpropExample(net, x.data.subarray(i * x.cols, (i + 1) * x.cols), y[i]!);
    Delta.forEach((D, l) => D.data.forEach((v, p) => (sum[l]!.data[p] = sum[l]!.data[p]! + v)));
  }
  return sum.map((dl, l) => {
    const t = net.theta[l]!;
    return hostMatrix(t.rows, t.cols, Array.from(dl.data, (v, p) => v / m + (p % t.cols === 0 ? 0 : (lambda / m) * t.data[p]!)));
  });
}

/** (J(Θ + εeₚ) − J(Θ − εeₚ)) / 2ε of the mean cost, for every parameter p, flat in layer order. */
export function numericalGradient(net: NetworkReference, x: HostMatrix, y: ArrayLike<number>, lambda = 0, epsilon = 1e-5): Float64Array {
  const flat = flatten(net.theta);
  const at = (values: Float64Array) => networkCost({ ...net, theta: unflatten(net.layers, values) }, x, y, lambda).mean;
  return Float64Array.from(flat, (v, p) => {
    const plus = Float64Array.from(flat);
    const minus = Float64Array.from(flat);
    plus[p] = v + epsilon;
    minus[p] = v - epsilon;
    return (at(plus) - at(minus)) / (2 * epsilon);
  });
}

/** ‖a − b‖ / ‖a + b‖, the lecture's measure of agreement between two gradients. */
export function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i]! - b[i]!) ** 2;
    sum += (a[i]! + b[i]!) ** 2;
  }
  return sum === 0 ? 0 : Math.sqrt(diff) / Math.sqrt(sum);
}
