// Matrix multiply for small products on software adapters: one invocation per element of C,
// summing op(A)[i][k]·op(B)[k][j] for k = 0 … K − 1 in order, then shaders/lib/gemm.wgsl's fused
// epilogue. A one-row prediction (1 × 25 × 401), a stochastic step's products or the
// playground's 2-D networks are too small for matmul_blocked.wgsl's 16 × 16 blocks to pay —
// and this kernel's pipelines build in tens of milliseconds where the blocked one's takes
// 0.5–1 s on SwiftShader: what a one-row `wgsl-learn predict` waits for. Over K = 0 with β = 1
// (and SUMS false) it is the blocked kernel's epilogue pass: C read back and stored through bias,
// g or ⊙ g′.
// The sum reads op(A) and op(B) without gemm.wgsl's bounds checks: the element is inside C and
// k inside K, so every index is inside the views createMatmul checked. A check per load is a
// branch per lane on SwiftShader, and it cost half the time: five 4-10-3 networks' products
// 4.4–4.8 → 2.5 ms a step (replayed alone per dispatch), the same bits.
// Links shaders/lib/gemm.wgsl and an activation.
//
// Dispatch: one invocation per PER_INVOCATION elements of C, flat (x, folded into y past the
// device's limit); z: the product of a batch.

override WORKGROUP_SIZE: u32 = 64;
override PER_INVOCATION: u32 = 4u; // elements of C each invocation computes, one after another
// false: the blocked kernel's epilogue pass (K = 0), whose sum's loop is compiled out. Left in
// and never entered, the loop took half of that pass's time on SwiftShader (100×1600: 8.4 → 4.3 ms).
override SUMS: bool = true;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  set_batch(gid.z);
  // Several elements per invocation: on a CPU adapter an invocation's fixed cost is much of an
  // epilogue pass's (over K = 0); each element is summed and stored exactly as alone.
  let first = (gid.x + gid.y * groups.x * WORKGROUP_SIZE) * PER_INVOCATION;
  let size = params.m * params.n;
  for (var e = first; e < min(first + PER_INVOCATION, size); e++) {
    let row = e / params.n;
    let col = e % params.n;
    var acc = 0.0;
    if (SUMS) {
      // Where op(A)[row][0] and op(B)[0][col] are stored, and the steps to k + 1.
      let a_at = a_offset() + select(row * params.a_stride, row, TRANS_A);
      let a_step = select(1u, params.a_stride, TRANS_A);
      let b_at = b_offset() + select(col, col * params.b_stride, TRANS_B);
      let b_step = select(params.b_stride, 1u, TRANS_B);
      for (var k = 0u; k < params.k; k++) {
        acc += a[a_at + k * a_step] * b[b_at + k * b_step];
      }
    }
    store(row, col, acc);
  }
}
