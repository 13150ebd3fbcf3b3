// Float32 is the domain: every number that reaches the GPU is checked as the GPU will hold it.
// A value finite in float64 can be ±∞ in float32 (1e39), and a positive one can underflow to a
// subnormal that GPUs flush to 0 (1e-39) — a divisor that becomes 0, a scale that vanishes.

/** The largest finite float32 (about 3.4e38). */
export const F32_MAX = 3.4028234663852886e38;

/** The smallest positive normal float32 (2⁻¹²⁶); below it GPUs may flush to 0. */
export const F32_MIN_NORMAL = 2 ** -126;

/** A number finite in float32. */
export function isF32(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(Math.fround(x));
}

/** A number > 0 that stays a normal float32 (never flushed to 0): safe as a divisor or a step. */
export function isF32Positive(x: unknown): x is number {
  return isF32(x) && Math.fround(x) >= F32_MIN_NORMAL;
}

/** A number ≥ 0 finite in float32. */
export function isF32NonNegative(x: unknown): x is number {
  return isF32(x) && x >= 0;
}

/** The index of the first NaN or ±∞ in `values`, or −1: one tight pass (v − v is 0 for every finite v). */
export function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v - v !== 0) return i;
  }
  return -1;
}
