// The playground's data sets: points in the square [−1, 1]², two classes (0 blue, 1 orange),
// drawn from a seeded generator — linearly separable, XOR, circles, two spirals, Gaussian
// blobs — with noise (each point moved by a Gaussian of σ = noise · 0.5) and split into a
// training and a test set. Points a user clicks join the training set.

import { Random } from '../../src/index.js';

export const DATA_SETS = {
  linear: 'linearly separable',
  xor: 'XOR',
  circles: 'circles',
  spirals: 'two spirals',
  blobs: 'Gaussian blobs',
} as const;
export type DataSetName = keyof typeof DATA_SETS;

/** Whether a straight line can separate the set's classes (before noise): what a model with no hidden layer can learn. */
export const LINEARLY_SEPARABLE: Record<DataSetName, boolean> = { linear: true, xor: false, circles: false, spirals: false, blobs: true };

export interface Points {
  x: [number, number][];
  y: number[];
}

export interface PlaygroundData {
  train: Points;
  test: Points;
}

/** A standard normal draw (Box–Muller). */
function gaussian(rng: Random): number {
  const u = Math.max(rng.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** Point i of n of the set, before noise. */
function point(name: DataSetName, rng: Random, i: number, n: number): { p: [number, number]; label: number } {
  const u = () => rng.uniform(-1, 1);
  switch (name) {
    case 'linear': {
      // Labelled by the side of the line x₂ = 0.5·x₁ + 0.1, with a margin of 0.1 kept clear.
      for (;;) {
        const p: [number, number] = [u(), u()];
        const d = (p[1] - 0.5 * p[0] - 0.1) / Math.hypot(1, 0.5);
        if (Math.abs(d) > 0.1) return { p, label: d > 0 ? 1 : 0 };
      }
    }
    case 'xor': {
      // The four quadrants, kept 0.05 off the axes: class 1 where x₁ and x₂ have the same sign.
      const off = (v: number) => (v < 0 ? Math.min(v, -0.05) : Math.max(v, 0.05));
      const p: [number, number] = [off(u()), off(u())];
      return { p, label: p[0] * p[1] > 0 ? 1 : 0 };
    }
    case 'circles': {
      // Class 1 inside radius 0.4, class 0 in the ring 0.6 … 0.95.
      const label = i % 2;
      const r = label ? 0.4 * Math.sqrt(rng.next()) : rng.uniform(0.6, 0.95);
      const t = rng.uniform(0, 2 * Math.PI);
      return { p: [r * Math.cos(t), r * Math.sin(t)], label };
    }
    case 'spirals': {
      // Two arms of 1.75 turns, the second the first turned by π.
      const label = i % 2;
      const s = Math.floor(i / 2) / Math.max(1, Math.ceil(n / 2));
      const r = 0.08 + 0.85 * s;
      const t = 1.75 * 2 * Math.PI * s + label * Math.PI;
      return { p: [r * Math.sin(t), r * Math.cos(t)], label };
    }
    case 'blobs': {
      // Two Gaussian clouds, σ = 0.2, around (−0.45, −0.35) and (0.45, 0.35).
      const label = i % 2;
      const c = label ? [0.45, 0.35] : [-0.45, -0.35];
      return { p: [c[0]! + 0.2 * gaussian(rng), c[1]! + 0.2 * gaussian(rng)], label };
    }
  }
}

/**
 * `n` points of the set with noise (0 … 1), the last ⌊testFraction·n⌉ of a seeded shuffle
 * held out as the test set. Clipped to the square.
 */
export function makeData(name: DataSetName, n: number, noise: number, testFraction: number, seed: number): PlaygroundData {
  const rng = new Random(seed);
  const all: { p: [number, number]; label: number }[] = [];
  for (let i = 0; i < n; i++) {
    const { p, label } = point(name, rng, i, n);
    const clip = (v: number) => Math.max(-1, Math.min(1, v));
    all.push({ p: [clip(p[0] + 0.5 * noise * gaussian(rng)), clip(p[1] + 0.5 * noise * gaussian(rng))], label });
  }
  const order = rng.permutation(n);
  const held = Math.round(testFraction * n);
  const pick = (idx: number[]): Points => ({ x: idx.map((i) => all[i]!.p), y: idx.map((i) => all[i]!.label) });
  return { train: pick(order.slice(held)), test: pick(order.slice(0, held)) };
}
