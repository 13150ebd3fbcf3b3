// An activation's derivative from what the forward pass saved, elementwise: g = g′(z) computed
// from a = g(z) (σ: a ⊙ (1 − a); tanh: 1 − a²; ReLU: a > 0), or from z itself for the
// activations whose g′ needs it (swish, GELU, mish: the registry's derivativeFrom,
// src/activations.ts). Overwrites `g`. Links lib/elementwise.wgsl and the activation
// (shaders/activations/). Backward partner of activation.wgsl.
//
// Shapes: saved and g are flat runs of `count` values (any matrix, read row-major).
//
// | group | binding | name   | access     | shape                            |
// |-------|---------|--------|------------|----------------------------------|
// | 0     | 0       | saved  | read       | [in_offset .. in_offset + count)   |
// | 0     | 1       | g      | read_write | [out_offset .. out_offset + count) |
// | 0     | 2       | params | uniform    | ElementwiseParams (lib)          |
//
// Dispatch: as activation.wgsl.

@group(0) @binding(0) var<storage, read> saved: array<f32>;
@group(0) @binding(1) var<storage, read_write> g: array<f32>;
@group(0) @binding(2) var<uniform> params: ElementwiseParams;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = flat_index(gid, groups);
  if (i >= params.count) {
    return;
  }
  g[params.out_offset + i] = activation_gradient(saved[params.in_offset + i]);
}
