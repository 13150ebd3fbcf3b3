// The design matrix x̃ laid out on the CPU for features in CPU memory on a software adapter:
// [1, x], or [1, (x − μ)/σ] with the model's statistics — computed here, in float64, from the
// first training set (one pass of shifted sums) — while the upload copies the values anyway.
// There the GPU passes it replaces (shaders/feature_stats.wgsl's two, design_matrix.wgsl's) are
// CPU work too, and cost more than the copy (200k × 400 normalised: ~4 s on SwiftShader). A
// hardware adapter takes the values as they are, in one copy with no JavaScript loop, and runs
// those passes at its memory's speed.

import type { GpuContext } from '../gpu/context.js';

/** μ and σ of each feature, rounded to float32 as the statistics buffer holds them. */
export interface HostStats {
  mean: Float32Array<ArrayBuffer>;
  std: Float32Array<ArrayBuffer>;
}

/** Where x̃ is laid out: 'cpu' (a software adapter's default) or 'gpu' (a hardware adapter's). */
export type Layout = 'cpu' | 'gpu';

/**
 * How features in CPU memory (`data`, rows × n) are laid out: undefined — on the GPU (raw values
 * uploaded, then the GPU passes); else on the CPU, with `stats` when normalised (computed here on
 * a first fit, `computeStats`, and kept in `o.cpu`; or the model's own on the CPU). A normalising
 * model whose statistics exist only on the GPU (computed from GPU buffers) lays out on the GPU.
 */
export function cpuLayout(
  ctx: GpuContext,
  data: Float32Array | undefined,
  rows: number,
  n: number,
  o: { normalize: boolean; computeStats: boolean; layout?: Layout; cpu?: { stats: HostStats | undefined } },
): { stats?: HostStats } | undefined {
  if (!data || (o.layout ?? (ctx.adapter.isFallbackAdapter ? 'cpu' : 'gpu')) === 'gpu') return undefined;
  if (!o.normalize) return {};
  const stats = o.computeStats ? featureStats(data, rows, n) : o.cpu?.stats;
  if (stats && o.computeStats && o.cpu) o.cpu.stats = stats;
  return stats && { stats };
}

/** Floats of x̃ laid out per write: a slab, not a whole chunk. */
const SLAB_FLOATS = 1 << 20;

/**
 * μⱼ = (1/m) Σᵢ xⱼ⁽ⁱ⁾ and σⱼ = sqrt((1/m) Σᵢ (xⱼ⁽ⁱ⁾ − μⱼ)²) of `rows` examples of n features, in
 * float64 from sums shifted by the first example (no cancellation of Σx² − mμ²); a feature
 * whose σ is 0 or below 1e−6·|μ| gets σ = 1, as shaders/feature_stats.wgsl does.
 */
export function featureStats(data: Float32Array, rows: number, n: number): HostStats {
  const shift = Float64Array.from(data.subarray(0, n));
  const sum = new Float64Array(n);
  const squares = new Float64Array(n);
  for (let i = 0, at = 0; i < rows; i++) {
    for (let j = 0; j < n; j++, at++) {
      const d = data[at]! - shift[j]!;
      sum[j] = sum[j]! + d;
      squares[j] = squares[j]! + d * d;
    }
  }
  const mean = new Float32Array(n);
  const std = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    const offset = sum[j]! / rows;
    mean[j] = shift[j]! + offset;
    const sd = Math.sqrt(Math.max(0, squares[j]! / rows - offset * offset));
    std[j] = sd === 0 || sd <= 1e-6 * Math.abs(mean[j]!) ? 1 : sd;
  }
  return { mean, std };
}

/**
 * x̃ = [1, x] — or [1, (x − μ)/σ] with `stats`, in float32 arithmetic as the GPU pass computes it —
 * for `rows` examples from row `start` of `data` (n features each), written into `design` slab
 * by slab.
 */
export function writeDesign(ctx: GpuContext, design: GPUBuffer, data: Float32Array<ArrayBuffer>, start: number, rows: number, n: number, stats?: HostStats): void {
  const cols = n + 1;
  const per = Math.max(1, Math.floor(SLAB_FLOATS / cols));
  const slab = new Float32Array(Math.min(per, rows) * cols);
  const f = Math.fround;
  for (let r0 = 0; r0 < rows; r0 += per) {
    const count = Math.min(per, rows - r0);
    for (let r = 0; r < count; r++) {
      const from = (start + r0 + r) * n;
      const to = r * cols;
      slab[to] = 1;
      if (!stats) {
        slab.set(data.subarray(from, from + n), to + 1);
        continue;
      }
      for (let j = 0; j < n; j++) slab[to + 1 + j] = f(f(data[from + j]! - stats.mean[j]!) / stats.std[j]!);
    }
    ctx.device.queue.writeBuffer(design, r0 * cols * 4, slab, 0, count * cols);
  }
}
