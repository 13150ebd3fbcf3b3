// Library (no bindings, no entry point): the layout of a model's feature-statistics buffer,
// 4 blocks of n floats, written by feature_stats.wgsl and read by design_matrix.wgsl:
//
//     [Σx | μ | Σ(x − μ)² | σ]
//
// The TypeScript reads these constants from here (src/kernels/feature_stats.ts), never restates them.

const STATS_SUM: u32 = 0u;     // Σᵢ xⱼ⁽ⁱ⁾, pass 0's running sum
const STATS_MEAN: u32 = 1u;    // μⱼ
const STATS_SQUARES: u32 = 2u; // Σᵢ (xⱼ⁽ⁱ⁾ − μⱼ)², pass 1's running sum
const STATS_STD: u32 = 3u;     // σⱼ (1 for a constant feature)
const STATS_BLOCKS: u32 = 4u;  // the buffer holds STATS_BLOCKS · n floats

// Index of feature j's value in `block` of a buffer for n features.
fn stats_index(block: u32, n: u32, j: u32) -> u32 {
  return block * n + j;
}
