// Polynomial features, the lecture's non-linear hypotheses: x₁ … xₙ become every product of them
// up to a degree — x₁, x₂, x₁², x₁x₂, x₂², x₁³, … — in scikit-learn's PolynomialFeatures order
// (include_bias=False: the models add x₀ = 1 themselves): degree by degree, and within a degree
// the combinations with repetition of the inputs in lexicographic order. A term is the list of
// the inputs it multiplies, non-decreasing; its value is computed in float32 left to right,
// ((x_a·x_b)·x_c), as the ONNX graph the models export computes it (src/export/onnx.ts).

import { ArgumentError } from '../gpu/errors.js';

/** The highest degree a model takes. */
export const MAX_DEGREE = 10;
/** The most features a map may make. */
export const MAX_TERMS = 1 << 16;

/** How many terms `degree` makes of n inputs: C(n + d, d) − 1, or Infinity past MAX_TERMS (no overflow on the way). */
export function termCount(n: number, degree: number): number {
  let count = 1; // C(n + k, k) for k = 0 … degree
  for (let k = 1; k <= degree; k++) {
    count = (count * (n + k)) / k;
    if (count - 1 > MAX_TERMS) return Infinity;
  }
  return Math.round(count) - 1;
}

/** Every term of degree ≤ `degree` of n inputs, in order; each the inputs it multiplies. */
export function polynomialTerms(n: number, degree: number): number[][] {
  const terms: number[][] = [];
  let last: number[][] = [[]];
  for (let d = 1; d <= degree; d++) {
    const next: number[][] = [];
    for (const t of last) for (let j = t.length ? t[t.length - 1]! : 0; j < n; j++) next.push([...t, j]);
    for (const t of next) terms.push(t);
    last = next;
  }
  return terms;
}

/** Checks a map of `degree` on n inputs can be made; names `who` when not. */
export function checkPolynomial(who: string, n: number, degree: number): number {
  const count = termCount(n, degree);
  if (!Number.isFinite(count)) throw new ArgumentError(who, `degree ${degree} of ${n} inputs makes more than ${MAX_TERMS.toLocaleString('en')} features; lower the degree`);
  return count;
}

/**
 * x (rows × n, row-major) with every term of `terms` as its columns: float32, each product
 * rounded as float32 multiplication rounds it, the prefix of a term reused from the term before.
 */
export function mapPolynomial(data: ArrayLike<number>, rows: number, n: number, terms: readonly (readonly number[])[]): Float32Array<ArrayBuffer> {
  const width = terms.length;
  // A term's prefix (all but its last input) is an earlier term, or an input itself.
  const index = new Map(terms.map((t, i) => [t.join(','), i]));
  const prefix = terms.map((t) => (t.length === 1 ? -1 : index.get(t.slice(0, -1).join(','))!));
  const out = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const row = r * width;
    for (let i = 0; i < width; i++) {
      const t = terms[i]!;
      const x = Math.fround(data[r * n + t[t.length - 1]!]!);
      out[row + i] = prefix[i]! < 0 ? x : Math.fround(out[row + prefix[i]!]! * x);
    }
  }
  return out;
}
