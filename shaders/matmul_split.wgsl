// Split-K's second pass (matmul.wgsl SPLIT_K wrote the first): C = act(α·Σₛ Pₛ + β·C + bias),
// the S partial products Pₛ = op(A)[:, slice s]·op(B)[slice s, :] added in the fixed order
// s = 0 … S − 1 — no atomics, so reruns are bit-identical — then shaders/lib/gemm.wgsl's
// epilogue, exactly as an unsplit multiply ends. Links shaders/lib/gemm.wgsl and an activation.
//
// Bindings are gemm.wgsl's, read differently: `a` holds the partials, S contiguous M × N
// matrices (params.slices = S) per product of a batch, one product after another; `b` is not
// read; c, bias, saved and params as in every multiply.
//
// Dispatch: one invocation per element of C, flat (x, folded into y past the device's limit); z:
// the product of a batch.

override WORKGROUP_SIZE: u32 = 256;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  set_batch(gid.z);
  let e = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  let size = params.m * params.n;
  if (e >= size) {
    return;
  }
  let first = gid.z * params.slices; // product p's partials follow the partials of products 0 … p − 1
  var acc = 0.0;
  for (var s = 0u; s < params.slices; s++) {
    acc += a[(first + s) * size + e];
  }
  store(e / params.n, e % params.n, acc);
}
