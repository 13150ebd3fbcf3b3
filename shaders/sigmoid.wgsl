// Sigmoid forward, elementwise: a = σ(z). Overwrites `a`. Links lib/elementwise.wgsl and lib/sigmoid.wgsl.
//
// Shapes: z and a are flat runs of `count` values (any matrix, read row-major).
//
// | group | binding | name   | access     | shape                            |
// |-------|---------|--------|------------|----------------------------------|
// | 0     | 0       | z      | read       | [z_offset .. z_offset + count)   |
// | 0     | 1       | a      | read_write | [a_offset .. a_offset + count)   |
// | 0     | 2       | params | uniform    | ElementwiseParams (lib)          |
//
// Dispatch: ceil(count / WORKGROUP_SIZE) workgroups, folded into x and y when that exceeds
// maxComputeWorkgroupsPerDimension; flat_index rebuilds the element index.

@group(0) @binding(0) var<storage, read> z: array<f32>;
@group(0) @binding(1) var<storage, read_write> a: array<f32>;
@group(0) @binding(2) var<uniform> params: ElementwiseParams;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = flat_index(gid, groups);
  if (i >= params.count) {
    return;
  }
  a[params.out_offset + i] = sigmoid(z[params.in_offset + i]);
}
