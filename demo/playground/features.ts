// The playground's inputs, as TensorFlow Playground offers them: x₁ and x₂ always, and as toggles
// the features the lecture builds non-linear hypotheses from — x₁², x₂², x₁x₂ — and sin x₁, sin x₂.
// With them even a network without a hidden layer draws a curve: x₁x₂ alone separates XOR, x₁²
// and x₂² a circle. Each point of the plane becomes the row of its features, on the CPU (the
// data) and in the grid buffers the maps are drawn from (the GPU).

import { GRID } from '../plane-grid.js';

export interface Feature {
  key: string;
  /** How the diagram and the page name it. */
  name: string;
  of(x1: number, x2: number): number;
}

export const FEATURES: readonly Feature[] = [
  { key: 'x1', name: 'x₁', of: (a) => a },
  { key: 'x2', name: 'x₂', of: (_, b) => b },
  { key: 'x1sq', name: 'x₁²', of: (a) => a * a },
  { key: 'x2sq', name: 'x₂²', of: (_, b) => b * b },
  { key: 'x1x2', name: 'x₁x₂', of: (a, b) => a * b },
  { key: 'sin1', name: 'sin x₁', of: (a) => Math.sin(a) },
  { key: 'sin2', name: 'sin x₂', of: (_, b) => Math.sin(b) },
];

/** The features of `keys` (x₁ and x₂ always first), in FEATURES' order. */
export function featuresOf(keys: readonly string[]): Feature[] {
  return FEATURES.filter((f) => f.key === 'x1' || f.key === 'x2' || keys.includes(f.key));
}

/** Each point as the row of its features. */
export function featureRows(points: readonly (readonly [number, number])[], on: readonly Feature[]): number[][] {
  return points.map(([a, b]) => on.map((f) => f.of(a, b)));
}

/** The grid's points (x₁, x₂ per point) as rows of their features: what the network is evaluated on. */
export function featureGrid(points: Float32Array, on: readonly Feature[]): Float32Array<ArrayBuffer> {
  const n = GRID * GRID;
  const out = new Float32Array(n * on.length);
  for (let i = 0; i < n; i++) on.forEach((f, j) => (out[i * on.length + j] = f.of(points[2 * i]!, points[2 * i + 1]!)));
  return out;
}

/** Each feature over the grid, one map after the other (GRID² values each): the input units' maps. */
export function featureMaps(points: Float32Array, on: readonly Feature[]): Float32Array<ArrayBuffer> {
  const n = GRID * GRID;
  const maps = new Float32Array(on.length * n);
  on.forEach((f, j) => {
    for (let i = 0; i < n; i++) maps[j * n + i] = f.of(points[2 * i]!, points[2 * i + 1]!);
  });
  return maps;
}
