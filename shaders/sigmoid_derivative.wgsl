// Sigmoid derivative from the saved activation, elementwise: g = σ'(z) = a ⊙ (1 − a).
// Overwrites `g`. Links lib/elementwise.wgsl. Backward partner of sigmoid.wgsl: it reads the
// forward pass's output a, never z, so backprop needs no second exp() and no copy of z.
//
// Shapes: a and g are flat runs of `count` values (any matrix, read row-major).
//
// | group | binding | name   | access     | shape                            |
// |-------|---------|--------|------------|----------------------------------|
// | 0     | 0       | a      | read       | [a_offset .. a_offset + count)   |
// | 0     | 1       | g      | read_write | [g_offset .. g_offset + count)   |
// | 0     | 2       | params | uniform    | ElementwiseParams (lib)          |
//
// Dispatch: as sigmoid.wgsl.

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> g: array<f32>;
@group(0) @binding(2) var<uniform> params: ElementwiseParams;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = flat_index(gid, groups);
  if (i >= params.count) {
    return;
  }
  let ai = a[params.in_offset + i];
  g[params.out_offset + i] = ai * (1.0 - ai);
}
