// The epilogue of a software adapter's product as a pass of its own: matmul_blocked.wgsl wrote
// C = α·op(A)·op(B) + β·C; this applies the rest of shaders/lib/gemm.wgsl's epilogue in place,
// C = act(C + bias) or C ⊙ g′(G) (params.alpha = 1, params.beta = 0, the overrides HAS_BIAS,
// ACTIVATE, GATE and the linked activation saying which). Its pipelines build in milliseconds,
// so the product's single pipeline serves every activation. Links shaders/lib/gemm.wgsl and an
// activation.
//
// Dispatch: one invocation per element of C, flat (x, folded into y past the device's limit).

override WORKGROUP_SIZE: u32 = 256;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let e = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (e >= params.m * params.n) {
    return;
  }
  let row = e / params.n;
  let col = e % params.n;
  store(row, col, c[params.c_offset + row * params.c_stride + col]);
}
