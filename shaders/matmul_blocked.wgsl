// Matrix multiply for software adapters (SwiftShader): the same C = act(α·op(A)·op(B) + β·C +
// bias) as matmul.wgsl — the parameters, bindings, loads and epilogue of shaders/lib/gemm.wgsl —
// walked for a CPU. Each invocation computes a 16 × 16 block of C in registers, as 4 × 4
// mat4x4f accumulators, with no workgroup memory and no barrier (a barrier switches every
// invocation's context on a CPU). At each step through K it reads four floats at a time: the
// 16 × 4 slice of op(A) as four mat4x4f, the 4 × 16 slice of op(B) as four more, and adds the
// sixteen products — 256 multiply-adds for 32 vector loads.
//
//   accᵢⱼ (mat4x4f): column r = C[r0 + 4i + r][c0 + 4j … c0 + 4j + 3]
//   Aᵢ: column r = op(A)[r0 + 4i + r][k … k + 3]        Bⱼ: column t = op(B)[k + t][c0 + 4j … + 3]
//   accᵢⱼ += Bⱼ · Aᵢ
//
// Vector loads need A and B to start and advance on multiples of four floats (MatmulParams
// vec4_loads, set by the host); then a block wholly inside C reads its slices through a4 and b4
// (the same buffers as a and b, seen as vec4s) up to the last whole step of 4 in K. Blocks on
// C's edge, K's last partial step, and every block when the views are not aligned read through
// the bounds-checked scalar loads, zero outside the matrices: any shape and view is exact.
// Links shaders/lib/gemm.wgsl and an activation.
//
// | group | binding | name   | access     | shape                                         |
// |-------|---------|--------|------------|-----------------------------------------------|
// | 0     | 6       | a4     | read       | the buffer of a, as vec4s (aligned views only) |
// | 0     | 7       | b4     | read       | the buffer of b, as vec4s (aligned views only) |
//
// Dispatch: one invocation per 16 × 16 block, WG per workgroup, blocks numbered row-major over
// ceil(M/16) × ceil(N/16); the grid is (x, y) when one dimension would pass the device's limit.

override WG: u32 = 16;   // invocations per workgroup

@group(0) @binding(6) var<storage, read> a4: array<vec4f>;
@group(0) @binding(7) var<storage, read> b4: array<vec4f>;

// op(A)[row … row + 3][k … k + 3] as the columns of a matrix: column r is row + r, along k.
// Four vector loads: the view is aligned and the slice inside A.
fn a_slice(row: u32, k: u32) -> mat4x4f {
  let s = params.a_stride / 4u;
  if (TRANS_A) {
    // Stored K × M: stored row k + t holds op(A)[row … row + 3][k + t].
    let at = params.a_offset / 4u + k * s + row / 4u;
    return transpose(mat4x4f(a4[at], a4[at + s], a4[at + 2u * s], a4[at + 3u * s]));
  }
  let at = params.a_offset / 4u + row * s + k / 4u;
  return mat4x4f(a4[at], a4[at + s], a4[at + 2u * s], a4[at + 3u * s]);
}

// The same slice through the bounds-checked scalar loads: zero outside A.
fn a_slice_checked(row: u32, k: u32) -> mat4x4f {
  var m: mat4x4f;
  for (var r = 0u; r < 4u; r++) {
    m[r] = vec4f(load_a(row + r, k), load_a(row + r, k + 1u), load_a(row + r, k + 2u), load_a(row + r, k + 3u));
  }
  return m;
}

// op(B)[k … k + 3][col … col + 3] as the columns of a matrix: column t is depth k + t, along the columns.
fn b_slice(k: u32, col: u32) -> mat4x4f {
  let s = params.b_stride / 4u;
  if (TRANS_B) {
    // Stored N × K: stored row col + j holds op(B)[k … k + 3][col + j].
    let at = params.b_offset / 4u + col * s + k / 4u;
    return transpose(mat4x4f(b4[at], b4[at + s], b4[at + 2u * s], b4[at + 3u * s]));
  }
  let at = params.b_offset / 4u + k * s + col / 4u;
  return mat4x4f(b4[at], b4[at + s], b4[at + 2u * s], b4[at + 3u * s]);
}

// The same slice through the bounds-checked scalar loads: zero outside B.
fn b_slice_checked(k: u32, col: u32) -> mat4x4f {
  var m: mat4x4f;
  for (var t = 0u; t < 4u; t++) {
    m[t] = vec4f(load_b(k + t, col), load_b(k + t, col + 1u), load_b(k + t, col + 2u), load_b(k + t, col + 3u));
  }
  return m;
}

// The four rows r0 + 4i + r of one accumulator through the epilogue.
fn store_block(row: u32, col: u32, acc: mat4x4f) {
  store_row(row, col, acc[0]);
  store_row(row + 1u, col, acc[1]);
  store_row(row + 2u, col, acc[2]);
  store_row(row + 3u, col, acc[3]);
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let blocks_n = (params.n + 15u) / 16u;
  let block = gid.x + gid.y * groups.x * WG;
  let r0 = (block / blocks_n) * 16u;
  let c0 = (block % blocks_n) * 16u;
  if (r0 >= params.m) {
    return;
  }
  // Vector loads for a block wholly inside C, up to the last whole step of 4 in K.
  let inside = params.vec4_loads == 1u && r0 + 16u <= params.m && c0 + 16u <= params.n;
  let whole = select(0u, params.k & ~3u, inside);

  // Unrolled by hand: accumulators in an array indexed in a loop would live in memory.
  var acc00: mat4x4f; var acc01: mat4x4f; var acc02: mat4x4f; var acc03: mat4x4f;
  var acc10: mat4x4f; var acc11: mat4x4f; var acc12: mat4x4f; var acc13: mat4x4f;
  var acc20: mat4x4f; var acc21: mat4x4f; var acc22: mat4x4f; var acc23: mat4x4f;
  var acc30: mat4x4f; var acc31: mat4x4f; var acc32: mat4x4f; var acc33: mat4x4f;
  // Whole steps inside an aligned block: vector loads only.
  var k = 0u;
  for (; k < whole; k += 4u) {
    let a0 = a_slice(r0, k);
    let a1 = a_slice(r0 + 4u, k);
    let a2 = a_slice(r0 + 8u, k);
    let a3 = a_slice(r0 + 12u, k);
    let b0 = b_slice(k, c0);
    let b1 = b_slice(k, c0 + 4u);
    let b2 = b_slice(k, c0 + 8u);
    let b3 = b_slice(k, c0 + 12u);
    acc00 += b0 * a0; acc01 += b1 * a0; acc02 += b2 * a0; acc03 += b3 * a0;
    acc10 += b0 * a1; acc11 += b1 * a1; acc12 += b2 * a1; acc13 += b3 * a1;
    acc20 += b0 * a2; acc21 += b1 * a2; acc22 += b2 * a2; acc23 += b3 * a2;
    acc30 += b0 * a3; acc31 += b1 * a3; acc32 += b2 * a3; acc33 += b3 * a3;
  }
  // The rest (K's last partial step; every step of an edge or unaligned block): checked loads.
  // The same sixteen products as above, written twice on purpose: one loop choosing its loads
  // inside ran at 1.9 GFLOP/s against 4.6 for the pair (1024², SwiftShader).
  for (; k < params.k; k += 4u) {
    let a0 = a_slice_checked(r0, k);
    let a1 = a_slice_checked(r0 + 4u, k);
    let a2 = a_slice_checked(r0 + 8u, k);
    let a3 = a_slice_checked(r0 + 12u, k);
    let b0 = b_slice_checked(k, c0);
    let b1 = b_slice_checked(k, c0 + 4u);
    let b2 = b_slice_checked(k, c0 + 8u);
    let b3 = b_slice_checked(k, c0 + 12u);
    acc00 += b0 * a0; acc01 += b1 * a0; acc02 += b2 * a0; acc03 += b3 * a0;
    acc10 += b0 * a1; acc11 += b1 * a1; acc12 += b2 * a1; acc13 += b3 * a1;
    acc20 += b0 * a2; acc21 += b1 * a2; acc22 += b2 * a2; acc23 += b3 * a2;
    acc30 += b0 * a3; acc31 += b1 * a3; acc32 += b2 * a3; acc33 += b3 * a3;
  }
  store_block(r0, c0, acc00); store_block(r0, c0 + 4u, acc01); store_block(r0, c0 + 8u, acc02); store_block(r0, c0 + 12u, acc03);
  store_block(r0 + 4u, c0, acc10); store_block(r0 + 4u, c0 + 4u, acc11); store_block(r0 + 4u, c0 + 8u, acc12); store_block(r0 + 4u, c0 + 12u, acc13);
  store_block(r0 + 8u, c0, acc20); store_block(r0 + 8u, c0 + 4u, acc21); store_block(r0 + 8u, c0 + 8u, acc22); store_block(r0 + 8u, c0 + 12u, acc23);
  store_block(r0 + 12u, c0, acc30); store_block(r0 + 12u, c0 + 4u, acc31); store_block(r0 + 12u, c0 + 8u, acc32); store_block(r0 + 12u, c0 + 12u, acc33);
}
