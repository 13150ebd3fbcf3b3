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
// Dispatch: one invocation per element of x̃, flat (lib/elementwise.wgsl's flat_index).

struct DesignParams {
  rows: u32,
  features: u32,  // n
  normalize: u32, // 1: (x − μ)/σ; 0: x as it is
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> stats: array<f32>;
@group(0) @binding(2) var<storage, read_write> design: array<f32>;
@group(0) @binding(3) var<uniform> params: DesignParams;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let n = params.features;
  let e = flat_index(gid, groups);
  if (e >= params.rows * (n + 1u)) {
    return;
  }
  let i = e / (n + 1u);
  let j = e % (n + 1u);
  if (j == 0u) {
    design[e] = 1.0;
    return;
  }
  let v = x[i * n + j - 1u];
  if (params.normalize == 1u) {
    design[e] = (v - stats[stats_index(STATS_MEAN, n, j - 1u)]) / stats[stats_index(STATS_STD, n, j - 1u)];
  } else {
    design[e] = v;
  }
}
