// A layer's activation, elementwise: a = g(z), for the g of a linked activation
// (shaders/activations/, chosen through the registry in src/activations.ts). Overwrites `a`.
// Links lib/elementwise.wgsl and the activation. Backward partner: activation_gradient.wgsl.
//
// Shapes: z and a are flat runs of `count` values (any matrix, read row-major).
//
// | group | binding | name   | access     | shape                            |
// |-------|---------|--------|------------|----------------------------------|
// | 0     | 0       | z      | read       | [in_offset .. in_offset + count)   |
// | 0     | 1       | a      | read_write | [out_offset .. out_offset + count) |
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
  a[params.out_offset + i] = activation(z[params.in_offset + i]);
}
