// Sigmoid derivative from the saved activation, elementwise: g = σ'(z) = a ⊙ (1 − a).
// Overwrites `g`. Backward partner of sigmoid.wgsl: it reads the forward pass's output a,
// never z, so backprop needs no second exp() and no copy of z.
//
// Shapes: a and g are flat runs of `count` values (any matrix, read row-major).
//
// | group | binding | name   | access     | shape                            |
// |-------|---------|--------|------------|----------------------------------|
// | 0     | 0       | a      | read       | [a_offset .. a_offset + count)   |
// | 0     | 1       | g      | read_write | [g_offset .. g_offset + count)   |
// | 0     | 2       | params | uniform    | ElementwiseParams                |
//
// Dispatch: as sigmoid.wgsl.

struct ElementwiseParams {
  count: u32,     // number of elements
  in_offset: u32, // element offset of a[0] in its buffer
  out_offset: u32,// element offset of g[0] in its buffer
}

override WORKGROUP_SIZE: u32 = 256;

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> g: array<f32>;
@group(0) @binding(2) var<uniform> params: ElementwiseParams;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (i >= params.count) {
    return;
  }
  let ai = a[params.in_offset + i];
  g[params.out_offset + i] = ai * (1.0 - ai);
}
