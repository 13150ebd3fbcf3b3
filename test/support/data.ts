// Seeded synthetic data sets for the model tests: every value rounded to f32 so the GPU and
// the float64 reference see the same inputs.

import { Random } from '../../src/random.js';
import { type HostMatrix, hostMatrix } from '../../src/reference/matmul.js';

export interface DataSet {
  x: number[][];
  y: number[];
}

/** Rows as a HostMatrix for the references. */
export function toHost(x: number[][]): HostMatrix {
  return hostMatrix(x.length, x[0]!.length, x.flat());
}

/** y = w·x + b + noise with x uniform in [−1, 1). */
export function linearData(seed: number, m: number, n: number, noise = 0.1): DataSet & { w: number[]; b: number } {
  const rng = new Random(seed);
  const w = Array.from({ length: n }, () => rng.uniform(-2, 2));
  const b = rng.uniform(-1, 1);
  const x = Array.from({ length: m }, () => Array.from(rng.floats(n)));
  const y = x.map((row) => Math.fround(row.reduce((s, v, j) => s + v * w[j]!, b) + noise * rng.uniform(-1, 1)));
  return { x, y, w, b };
}

/** Gaussian-ish blobs (sum of uniforms) around `centers`, `perClass` points each; label = blob index. */
export function blobs(seed: number, centers: number[][], perClass: number, spread: number): DataSet {
  const rng = new Random(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < perClass; i++) {
    centers.forEach((c, k) => {
      x.push(c.map((v) => Math.fround(v + spread * (rng.next() + rng.next() + rng.next() - 1.5))));
      y.push(k);
    });
  }
  return { x, y };
}
