// Float64 references for the regression family, written as the lecture's loops: the oracle the
// GPU kernels (design_matrix, output_delta, optimizer_update, epoch_end) are tested
// against, and the plain statement of what they compute. Θ is K × (n + 1), as the lecture
// writes a layer: row k is θₖ, the parameters of output k, column 0 the bias terms θ₀
// (K = 1 for linear and logistic regression). src/reference/network.ts stacks such layers.

import { epochOrder } from '../train/shuffle.js';
import { type HostMatrix, hostMatrix } from './matmul.js';
import { sigmoid } from './activations.js';

/** The output layer: 'sigmoid' is K one-vs-all sigmoid units (a network's output), the others the regression family's. */
export type HeadName = 'linear' | 'logistic' | 'softmax' | 'sigmoid';

/** μⱼ and σⱼ (population standard deviation); σ = 1 where a feature is constant (σ ≤ 1e−6·|μ|). */
export function featureStats(x: HostMatrix): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(x.cols);
  const std = new Float64Array(x.cols);
  for (let j = 0; j < x.cols; j++) {
    let s = 0;
    for (let i = 0; i < x.rows; i++) s += x.data[i * x.cols + j]!;
    mean[j] = s / x.rows;
    let d2 = 0;
    for (let i = 0; i < x.rows; i++) d2 += (x.data[i * x.cols + j]! - mean[j]!) ** 2;
    const sd = Math.sqrt(d2 / x.rows);
    std[j] = sd === 0 || sd <= 1e-6 * Math.abs(mean[j]!) ? 1 : sd;
  }
  return { mean, std };
}

/** x̃⁽ⁱ⁾ = [1, (x⁽ⁱ⁾ − μ)/σ], or [1, x⁽ⁱ⁾] without statistics. */
export function designMatrix(x: HostMatrix, stats?: { mean: ArrayLike<number>; std: ArrayLike<number> }): HostMatrix {
  const d = hostMatrix(x.rows, x.cols + 1);
  for (let i = 0; i < x.rows; i++) {
    d.data[i * d.cols] = 1;
    for (let j = 0; j < x.cols; j++) {
      const v = x.data[i * x.cols + j]!;
      d.data[i * d.cols + j + 1] = stats ? (v - stats.mean[j]!) / stats.std[j]! : v;
    }
  }
  return d;
}

/** zₖ = θₖᵀx̃ for every example: m × K. */
export function logits(design: HostMatrix, theta: HostMatrix): HostMatrix {
  const z = hostMatrix(design.rows, theta.rows);
  for (let i = 0; i < design.rows; i++) {
    for (let k = 0; k < theta.rows; k++) {
      let s = 0;
      for (let j = 0; j < design.cols; j++) s += design.data[i * design.cols + j]! * theta.data[k * theta.cols + j]!;
      z.data[i * theta.rows + k] = s;
    }
  }
  return z;
}

/** h: θᵀx (linear), σ(θᵀx) (logistic, and each unit of 'sigmoid'), softmax φ, from the logits row. */
export function hypothesisRow(head: HeadName, z: ArrayLike<number>): number[] {
  if (head === 'linear') return [z[0]!];
  if (head === 'logistic' || head === 'sigmoid') return Array.from(z, sigmoid);
  let top = -Infinity;
  for (let k = 0; k < z.length; k++) top = Math.max(top, z[k]!);
  const e = Array.from(z, (v) => Math.exp(v - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** −[y log σ(s) + (1 − y) log(1 − σ(s))] in the logits form, which never takes log(0). */
function crossEntropy(s: number, y: number): number {
  return Math.max(s, 0) - y * s + Math.log1p(Math.exp(-Math.abs(s)));
}

/**
 * One example's cost: ½(h − y)², −[y log h + (1 − y) log(1 − h)], −log φ_y, or for K sigmoid
 * units Σₖ −[yₖ log hₖ + (1 − yₖ) log(1 − hₖ)] with y one-hot; in the overflow-free forms.
 */
export function exampleCost(head: HeadName, z: ArrayLike<number>, y: number): number {
  if (head === 'linear') return 0.5 * (z[0]! - y) ** 2;
  if (head === 'logistic') return crossEntropy(z[0]!, y);
  if (head === 'sigmoid') {
    let c = 0;
    for (let k = 0; k < z.length; k++) c += crossEntropy(z[k]!, k === y ? 1 : 0);
    return c;
  }
  // log Σ e^(zₖ − max z) = log1p(Σ over the other classes): the top class's own term is 1.
  let best = 0;
  for (let k = 1; k < z.length; k++) if (z[k]! > z[best]!) best = k;
  let rest = 0;
  for (let k = 0; k < z.length; k++) if (k !== best) rest += Math.exp(z[k]! - z[best]!);
  return Math.log1p(rest) + (z[best]! - z[y]!);
}

/** Σ θ² over every weight but the bias column. */
export function penalty(theta: HostMatrix): number {
  let s = 0;
  for (let k = 0; k < theta.rows; k++) for (let j = 1; j < theta.cols; j++) s += theta.data[k * theta.cols + j]! ** 2;
  return s;
}

/**
 * The cost as the lecture writes it, total = Σᵢ cost⁽ⁱ⁾ + (λ/2) Σⱼ≥₁ θⱼ² (for linear regression
 * J(θ) = ½ Σ (h − y)²), and mean = total / m, comparable across data sizes. Accuracy is the
 * fraction of examples whose predicted label is right (NaN for linear regression).
 */
export function cost(head: HeadName, design: HostMatrix, y: ArrayLike<number>, theta: HostMatrix, lambda = 0): { total: number; mean: number; accuracy: number } {
  const z = logits(design, theta);
  let total = 0;
  let right = 0;
  for (let i = 0; i < design.rows; i++) {
    const row = z.data.subarray(i * theta.rows, (i + 1) * theta.rows);
    total += exampleCost(head, row, y[i]!);
    right += predictLabel(head, row) === y[i] ? 1 : 0;
  }
  total += (lambda / 2) * penalty(theta);
  return { total, mean: total / design.rows, accuracy: head === 'linear' ? NaN : right / design.rows };
}

/** The predicted label from logits: z ≥ 0 (h ≥ 0.5) for logistic, argmax (first) for softmax and K sigmoid units. */
export function predictLabel(head: HeadName, z: ArrayLike<number>): number {
  if (head === 'logistic') return z[0]! >= 0 ? 1 : 0;
  let best = 0;
  for (let k = 1; k < z.length; k++) if (z[k]! > z[best]!) best = k;
  return best;
}

/**
 * ∂(mean cost)/∂Θ over `rows` (default all): (1/count) Σᵢ (h⁽ⁱ⁾ − y⁽ⁱ⁾) x̃⁽ⁱ⁾ᵀ + (λ/m) Θ with
 * the bias column not regularised; y one-hot for softmax and K sigmoid units. m is the whole
 * set's size. K × (n + 1), like Θ.
 */
export function gradient(head: HeadName, design: HostMatrix, y: ArrayLike<number>, theta: HostMatrix, lambda = 0, rows?: ArrayLike<number>): HostMatrix {
  const K = theta.rows;
  const g = hostMatrix(K, theta.cols);
  const list = rows ?? Array.from({ length: design.rows }, (_, i) => i);
  for (let r = 0; r < list.length; r++) {
    const i = list[r]!;
    const z = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let j = 0; j < design.cols; j++) s += design.data[i * design.cols + j]! * theta.data[k * theta.cols + j]!;
      z[k] = s;
    }
    const h = hypothesisRow(head, z);
    for (let k = 0; k < K; k++) {
      const target = head === 'softmax' || head === 'sigmoid' ? (y[i] === k ? 1 : 0) : y[i]!;
      const err = (h[k]! - target) / list.length;
      for (let j = 0; j < design.cols; j++) g.data[k * theta.cols + j] = g.data[k * theta.cols + j]! + err * design.data[i * design.cols + j]!;
    }
  }
  for (let k = 0; k < K; k++) {
    for (let j = 1; j < theta.cols; j++) g.data[k * theta.cols + j] = g.data[k * theta.cols + j]! + (lambda / design.rows) * theta.data[k * theta.cols + j]!;
  }
  return g;
}

/**
 * The cost surface of one-feature linear regression, rows × cols row-major: cell (r, c) is
 * J(θ₀, θ₁) = 1/(2m) Σ (θ₀ + θ₁x − y)² at θ₀ = theta0[0] + c·Δθ₀, θ₁ = theta1[0] + r·Δθ₁ (or
 * log₁₀ J) — src/kernels/cost_surface.ts's oracle.
 */
export function costSurface(x: ArrayLike<number>, y: ArrayLike<number>, theta0: readonly [number, number], theta1: readonly [number, number], cols: number, rows: number, log10 = false): Float64Array {
  const out = new Float64Array(rows * cols);
  const [d0, d1] = [(theta0[1] - theta0[0]) / (cols - 1), (theta1[1] - theta1[0]) / (rows - 1)];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let sum = 0;
      for (let i = 0; i < x.length; i++) sum += (theta0[0] + c * d0 + (theta1[0] + r * d1) * x[i]! - y[i]!) ** 2;
      const j = sum / (2 * x.length);
      out[r * cols + c] = log10 ? Math.log10(j) : j;
    }
  }
  return out;
}

/** The normal equation θ = (X̃ᵀX̃)⁻¹ X̃ᵀy, solved by Gaussian elimination with partial pivoting. */
export function normalEquation(design: HostMatrix, y: ArrayLike<number>): Float64Array {
  const p = design.cols;
  const a = Array.from({ length: p }, () => new Float64Array(p + 1));
  for (let r = 0; r < p; r++) {
    for (let c = 0; c < p; c++) {
      let s = 0;
      for (let i = 0; i < design.rows; i++) s += design.data[i * p + r]! * design.data[i * p + c]!;
      a[r]![c] = s;
    }
    let s = 0;
    for (let i = 0; i < design.rows; i++) s += design.data[i * p + r]! * y[i]!;
    a[r]![p] = s;
  }
  for (let col = 0; col < p; col++) {
    let pivot = col;
    for (let r = col + 1; r < p; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) < 1e-12) throw new Error('normalEquation: XᵀX is singular (features are linearly dependent)');
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let r = 0; r < p; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / a[col]![col]!;
      for (let c = col; c <= p; c++) a[r]![c] = a[r]![c]! - f * a[col]![c]!;
    }
  }
  return Float64Array.from({ length: p }, (_, r) => a[r]![p]! / a[r]![r]!);
}

export interface ReferenceTrainOptions {
  learningRate: number;
  epochs: number;
  /** Default: all examples (batch gradient descent). */
  batchSize?: number;
  shuffle?: boolean;
  seed?: number;
  optimizer?: 'sgd' | 'momentum' | 'adam';
  momentum?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  lambda?: number;
  /** Epoch number of the first epoch (keys the shuffle). Default 0. */
  firstEpoch?: number;
  /** α of epoch e (from 0); default learningRate throughout. */
  rateAt?: (epoch: number) => number;
}

/**
 * Trains Θ (copied, not modified) exactly as the GPU scheduler does, in float64: batches in
 * each epoch's order (src/train/shuffle.ts), the mean gradient of each batch plus (λ/m)θ, the
 * optimiser's update. Returns Θ and each epoch's cost as epoch_end.wgsl reports it (mean of the
 * examples' costs as their batches saw them, plus the penalty before the epoch's last update).
 */
export function trainReference(head: HeadName, design: HostMatrix, y: ArrayLike<number>, theta0: HostMatrix, o: ReferenceTrainOptions): { theta: HostMatrix; history: number[] } {
  const m = design.rows;
  const K = theta0.rows;
  const theta = hostMatrix(K, theta0.cols, theta0.data);
  const P = theta.data.length;
  const batch = o.batchSize ?? m;
  const lambda = o.lambda ?? 0;
  const opt = o.optimizer ?? 'sgd';
  const beta1 = opt === 'momentum' ? (o.momentum ?? 0.9) : (o.beta1 ?? 0.9);
  const beta2 = o.beta2 ?? 0.999;
  const eps = o.epsilon ?? 1e-8;
  const m1 = new Float64Array(P);
  const m2 = new Float64Array(P);
  const history: number[] = [];
  let t = 0;
  for (let e = 0; e < o.epochs; e++) {
    const alpha = o.rateAt ? o.rateAt(e) : o.learningRate;
    const order = epochOrder(m, o.seed ?? 0, (o.firstEpoch ?? 0) + e, batch < m && (o.shuffle ?? true));
    let epochCost = 0;
    for (let start = 0; start < m; start += batch) {
      const rows = order.subarray(start, Math.min(m, start + batch));
      const z = logits(design, theta);
      for (const i of rows) epochCost += exampleCost(head, z.data.subarray(i * K, (i + 1) * K), y[i]!);
      if (start + batch >= m) history.push(epochCost / m + (lambda / (2 * m)) * penalty(theta));
      const g = gradient(head, design, y, theta, lambda, rows).data;
      t++;
      for (let j = 0; j < P; j++) {
        if (opt === 'sgd') theta.data[j] = theta.data[j]! - alpha * g[j]!;
        else if (opt === 'momentum') {
          m1[j] = beta1 * m1[j]! + g[j]!;
          theta.data[j] = theta.data[j]! - alpha * m1[j]!;
        } else {
          m1[j] = beta1 * m1[j]! + (1 - beta1) * g[j]!;
          m2[j] = beta2 * m2[j]! + (1 - beta2) * g[j]! ** 2;
          const mh = m1[j]! / (1 - beta1 ** t);
          const vh = m2[j]! / (1 - beta2 ** t);
          theta.data[j] = theta.data[j]! - (alpha * mh) / (Math.sqrt(vh) + eps);
        }
      }
    }
  }
  return { theta, history };
}
