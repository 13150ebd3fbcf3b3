// The seeded shuffle of each epoch, the same function as shaders/lib/shuffle.wgsl: the GPU
// computes it per index, and this TypeScript copy lets tests and the float64 reference
// replay the exact order the GPU trained in.

/** lowbias32, as `hash32` in shaders/lib/shuffle.wgsl. */
export function hash32(v: number): number {
  let h = v >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** Largest training set the shuffle (and the scheduler) supports. */
export const MAX_EXAMPLES = 2 ** 30;

/** Position `i` of epoch `epoch`'s order of `m` examples: a bijection of 0..m−1 per (seed, epoch). */
export function shuffledIndex(i: number, m: number, seed: number, epoch: number): number {
  let bits = 2;
  while (2 ** bits < m) bits += 2;
  const half = bits / 2;
  const mask = (1 << half) - 1;
  const key = hash32((seed ^ hash32((Math.imul(epoch, 0x9e3779b9) + 0x632be5ab) >>> 0)) >>> 0);
  let x = i;
  for (;;) {
    let left = x >>> half;
    let right = x & mask;
    for (let round = 0; round < 4; round++) {
      const f = hash32((right ^ hash32((key + round) >>> 0)) >>> 0) & mask;
      const next = left ^ f;
      left = right;
      right = next;
    }
    x = ((left << half) | right) >>> 0;
    if (x < m) return x;
  }
}

/** The whole order of epoch `epoch`: examples in the order its batches see them. */
export function epochOrder(m: number, seed: number, epoch: number, shuffle: boolean): Uint32Array {
  const order = new Uint32Array(m);
  for (let i = 0; i < m; i++) order[i] = shuffle ? shuffledIndex(i, m, seed, epoch) : i;
  return order;
}
