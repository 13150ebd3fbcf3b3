// An activation's derivative from the saved activation, elementwise: g = g′(z) computed from
// a = g(z) (σ: a ⊙ (1 − a); tanh: 1 − a²; ReLU: a > 0). Overwrites `g`. Links
// lib/elementwise.wgsl and the activation (shaders/activations/). Backward partner of
// activation.wgsl: it reads the forward pass's output a, never z, so backprop needs no second
// exp() and no copy of z.
//
// Shapes: a and g are flat runs of `count` values (any matrix, read row-major).
//
// | group | binding | name   | access     | shape                            |
// |-------|---------|--------|------------|----------------------------------|
// | 0     | 0       | a      | read       | [in_offset .. in_offset + count)   |
// | 0     | 1       | g      | read_write | [out_offset .. out_offset + count) |
// | 0     | 2       | params | uniform    | ElementwiseParams (lib)          |
//
// Dispatch: as activation.wgsl.

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> g: array<f32>;
@group(0) @binding(2) var<uniform> params: ElementwiseParams;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = flat_index(gid, groups);
  if (i >= params.count) {
    return;
  }
  g[params.out_offset + i] = activation_gradient(a[params.in_offset + i]);
}
