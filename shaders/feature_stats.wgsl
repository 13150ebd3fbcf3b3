// Feature normalisation statistics, per feature j over the m training examples:
//
//     μⱼ = (1/m) Σᵢ xⱼ⁽ⁱ⁾          σⱼ = sqrt((1/m) Σᵢ (xⱼ⁽ⁱ⁾ − μⱼ)²)
//
// Two passes (sums, then squared deviations from μ, which stays accurate where Σx² − mμ²
// would cancel), each dispatched once per chunk of rows so a training set larger than one
// storage binding is covered: a chunk adds its column sums into `stats` (the first chunk
// overwrites), and the last chunk finishes μ or σ. A feature whose σ is 0 or below 1e−6·|μ|
// (constant up to f32 rounding) gets σ = 1, so it is centred but not blown up. Links
// lib/reduce.wgsl and lib/stats.wgsl (the buffer's layout). Accumulates across chunks;
// overwrites on the first.
//
// Shapes: x is the chunk, rows × n raw features, row-major. stats holds 4 blocks of n:
// [Σx | μ | Σ(x − μ)² | σ].
//
// | group | binding | name   | access     | shape                |
// |-------|---------|--------|------------|----------------------|
// | 0     | 0       | x      | read       | rows × n             |
// | 0     | 1       | stats  | read_write | 4 × n                |
// | 0     | 2       | params | uniform    | StatsParams          |
//
// Dispatch: (n, 1, 1) workgroups of REDUCE_SIZE, one per feature.

struct StatsParams {
  rows: u32,       // rows in this chunk
  features: u32,   // n
  examples: u32,   // m, rows in all chunks
  first: u32,      // 1 for the first chunk: overwrite instead of add
  last: u32,       // 1 for the last chunk: finish μ (pass 0) or σ (pass 1)
}

override PASS: u32 = 0u; // 0: Σx and μ; 1: Σ(x − μ)² and σ

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> stats: array<f32>;
@group(0) @binding(2) var<uniform> params: StatsParams;

@compute @workgroup_size(REDUCE_SIZE)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let j = wg.x;
  let n = params.features;
  let mean = stats[stats_index(STATS_MEAN, n, j)]; // read by pass 1 only; pass 0 ignores it
  var sum = 0.0;
  for (var i = lid; i < params.rows; i += REDUCE_SIZE) {
    let v = x[i * n + j];
    if (PASS == 0u) {
      sum += v;
    } else {
      let d = v - mean;
      sum += d * d;
    }
  }
  let total = workgroup_sum(lid, vec4f(sum, 0.0, 0.0, 0.0)).x;
  if (lid != 0u) {
    return;
  }
  let slot = stats_index(select(STATS_SUM, STATS_SQUARES, PASS == 1u), n, j);
  var acc = total;
  if (params.first == 0u) {
    acc += stats[slot];
  }
  stats[slot] = acc;
  if (params.last == 1u) {
    let avg = acc / f32(params.examples);
    if (PASS == 0u) {
      stats[stats_index(STATS_MEAN, n, j)] = avg;
    } else {
      let sd = sqrt(avg);
      stats[stats_index(STATS_STD, n, j)] = select(sd, 1.0, sd <= 1e-6 * abs(mean) || sd == 0.0);
    }
  }
}
