// The lecture's cost surface of linear regression with one feature: J(θ₀, θ₁) over a grid of θ,
//
//     J(θ₀, θ₁) = 1/(2m) Σᵢ (θ₀ + θ₁ x⁽ⁱ⁾ − y⁽ⁱ⁾)²       (or log₁₀ J, for contours over decades)
//
// one invocation per grid point, each walking the m examples in order (no atomics: the same
// sums every run). Cell (r, c) is θ₀ = θ₀,min + c·Δθ₀, θ₁ = θ₁,min + r·Δθ₁; the surface is
// rows × cols, row-major, written from element `offset` of the output.
//
// | group | binding | name    | access     | shape          |
// |-------|---------|---------|------------|----------------|
// | 0     | 0       | x       | read       | m              |
// | 0     | 1       | y       | read       | m              |
// | 0     | 2       | surface | read_write | rows × cols    |
// | 0     | 3       | params  | uniform    | SurfaceParams  |
//
// Dispatch: grid1d(rows·cols, WORKGROUP_SIZE) — 2-D when one dimension is not enough.

struct SurfaceParams {
  m: u32,           // examples
  rows: u32,        // θ₁ values
  cols: u32,        // θ₀ values
  offset: u32,      // element of the output where cell (0, 0) goes
  theta0_min: f32,
  theta0_step: f32,
  theta1_min: f32,
  theta1_step: f32,
  log10: u32,       // 1: write log₁₀ J
}

override WORKGROUP_SIZE: u32 = 64u;

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read_write> surface: array<f32>;
@group(0) @binding(3) var<uniform> params: SurfaceParams;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let cell = gid.y * groups.x * WORKGROUP_SIZE + gid.x;
  if (cell >= params.rows * params.cols) {
    return;
  }
  let theta0 = params.theta0_min + f32(cell % params.cols) * params.theta0_step;
  let theta1 = params.theta1_min + f32(cell / params.cols) * params.theta1_step;
  var sum = 0.0;
  for (var i = 0u; i < params.m; i++) {
    let e = theta0 + theta1 * x[i] - y[i];
    sum += e * e;
  }
  var j = sum / (2.0 * f32(params.m));
  if (params.log10 == 1u) {
    j = log2(j) * 0.3010299956639812;
  }
  surface[params.offset + cell] = j;
}
