// The adapter's arithmetic ceiling for the benchmark (bench/peak.ts): vec4 fused multiply-adds
// with no memory traffic. Each invocation runs CHAINS independent chains acc = acc·x + y (x, y
// from a uniform, so nothing folds at compile time) for `iterations` rounds and writes one
// value at the end, so the work cannot be dropped. FLOPs: invocations · iterations · CHAINS · 4
// lanes · 2.
//
// | group | binding | name   | access     | shape                   |
// |-------|---------|--------|------------|-------------------------|
// | 0     | 0       | out    | read_write | one f32 per invocation  |
// | 0     | 1       | params | uniform    | PeakParams              |

struct PeakParams {
  iterations: u32,
  x: f32,
  y: f32,
  pad: u32,
}

override WORKGROUP_SIZE: u32 = 64;

@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<uniform> params: PeakParams;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x;
  let x = vec4f(params.x);
  let y = vec4f(params.y);
  var a0 = vec4f(f32(i), 1.0, 2.0, 3.0);
  var a1 = a0 + 1.0;
  var a2 = a0 + 2.0;
  var a3 = a0 + 3.0;
  var a4 = a0 + 4.0;
  var a5 = a0 + 5.0;
  var a6 = a0 + 6.0;
  var a7 = a0 + 7.0;
  for (var t = 0u; t < params.iterations; t++) {
    a0 = fma(a0, x, y);
    a1 = fma(a1, x, y);
    a2 = fma(a2, x, y);
    a3 = fma(a3, x, y);
    a4 = fma(a4, x, y);
    a5 = fma(a5, x, y);
    a6 = fma(a6, x, y);
    a7 = fma(a7, x, y);
  }
  let s = (a0 + a1) + (a2 + a3) + (a4 + a5) + (a6 + a7);
  out[i] = s.x + s.y + s.z + s.w;
}
