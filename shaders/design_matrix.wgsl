// The design matrix the hypothesis reads: x₀ = 1 (the intercept θ₀'s input), then each raw
// feature, normalised with the training set's statistics when the model normalises:
//
//     x̃⁽ⁱ⁾ = [1, (x₁⁽ⁱ⁾ − μ₁)/σ₁, …, (xₙ⁽ⁱ⁾ − μₙ)/σₙ]
//
// Training, cost and prediction all go through it, so a model trained on normalised features
// is always applied to raw inputs the same way. Overwrites x̃.
//
// Shapes: x is rows × n raw features; x̃ is rows × (n + 1); stats as feature_stats.wgsl
// writes it (lib/stats.wgsl: [Σx | μ | Σ(x − μ)² | σ], 4 × n).
//
// | group | binding | name   | access     | shape                |
// |-------|---------|--------|------------|----------------------|
// | 0     | 0       | x      | read       | rows × n             |
// | 0     | 1       | stats  | read       | 4 × n                |
// | 0     | 2       | design | read_write | rows × (n + 1)       |
// | 0     | 3       | params | uniform    | DesignParams         |
//
// Dispatch: one invocation per run of RUN consecutive elements of one row of x̃, rows ×
// ceil((n + 1) / RUN) runs, flat (lib/elementwise.wgsl's flat_index). One invocation per element
// spent more on its index arithmetic (a division per element) than on the copy: 8 MB took 45 ms
// on SwiftShader.

struct DesignParams {
  rows: u32,
  features: u32,  // n
  normalize: u32, // 1: (x − μ)/σ; 0: x as it is
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> stats: array<f32>;
@group(0) @binding(2) var<storage, read_write> design: array<f32>;
@group(0) @binding(3) var<uniform> params: DesignParams;

override RUN: u32 = 16;  // elements of x̃ per invocation

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let n = params.features;
  let runs = (n + RUN) / RUN;  // ceil((n + 1) / RUN)
  let r = flat_index(gid, groups);
  if (r >= params.rows * runs) {
    return;
  }
  let i = r / runs;
  let first = (r % runs) * RUN;
  let last = min(first + RUN, n + 1u);
  let row = i * (n + 1u);
  for (var j = first; j < last; j++) {
    // Column 0 is the bias unit; column j ≥ 1 is feature j − 1 (index clamped for j = 0, unused there).
    var v = x[i * n + max(j, 1u) - 1u];
    if (params.normalize == 1u) {
      let f = max(j, 1u) - 1u;
      v = (v - stats[stats_index(STATS_MEAN, n, f)]) / stats[stats_index(STATS_STD, n, f)];
    }
    design[row + j] = select(v, 1.0, j == 0u);
  }
}
