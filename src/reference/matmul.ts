// Float64 reference for shaders/matmul.wgsl, written as the plain triple loop. It is the
// oracle the GPU kernel is tested against and the readable statement of what it computes.

import { ACTIVATIONS, type ActivationName } from '../activations.js';

/** A dense row-major float64 matrix. */
export interface HostMatrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function hostMatrix(rows: number, cols: number, data?: ArrayLike<number>): HostMatrix {
  const m = { rows, cols, data: new Float64Array(rows * cols) };
  if (data) m.data.set(data);
  return m;
}

/** (Xᵀ) as a new matrix. */
export function transpose(x: HostMatrix): HostMatrix {
  const t = hostMatrix(x.cols, x.rows);
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) t.data[j * x.rows + i] = x.data[i * x.cols + j]!;
  return t;
}

export interface MatmulReferenceOptions {
  transA?: boolean;
  transB?: boolean;
  alpha?: number;
  beta?: number;
  bias?: ArrayLike<number>;
  /** g applied last (a layer's forward pass). */
  activation?: ActivationName;
  /** Multiply last by g′ of this activation computed from `saved` (a hidden δ): a = g(z), or z where the registry's derivativeFrom says. */
  gradient?: ActivationName;
  /** M×N saved activation G = g(z). */
  saved?: HostMatrix;
}

/**
 * C = act(α·op(A)·op(B) + β·C + bias), returned as a new matrix; `c` (needed when β ≠ 0)
 * is not modified.
 */
export function matmulReference(a: HostMatrix, b: HostMatrix, options: MatmulReferenceOptions = {}, c?: HostMatrix): HostMatrix {
  const A = options.transA ? transpose(a) : a;
  const B = options.transB ? transpose(b) : b;
  const { alpha = 1, beta = 0, bias } = options;
  const g = options.activation && ACTIVATIONS[options.activation].reference;
  const gPrime = options.gradient && ACTIVATIONS[options.gradient].reference;
  if (A.cols !== B.rows) throw new Error(`inner dimensions differ: ${A.rows}×${A.cols} times ${B.rows}×${B.cols}`);
  const out = hostMatrix(A.rows, B.cols);
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < B.cols; j++) {
      let sum = 0;
      for (let k = 0; k < A.cols; k++) sum += A.data[i * A.cols + k]! * B.data[k * B.cols + j]!;
      let v = alpha * sum;
      if (beta !== 0) v += beta * c!.data[i * B.cols + j]!;
      if (bias) v += bias[j]!;
      if (g) v = g.value(v);
      if (gPrime) v *= gPrime.gradient(options.saved!.data[i * B.cols + j]!);
      out.data[i * B.cols + j] = v;
    }
  }
  return out;
}
