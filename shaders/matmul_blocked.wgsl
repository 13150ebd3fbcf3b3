// Matrix multiply for software adapters (SwiftShader): the same C = act(α·op(A)·op(B) + β·C +
// bias) as matmul.wgsl — the parameters, bindings and epilogue of shaders/lib/gemm.wgsl — walked
// for a CPU. Each invocation computes a 16 × 16 block of C in registers, as 4 × 4 mat4x4f
// accumulators, with no workgroup memory and no barrier (a barrier switches every invocation's
// context on a CPU). At each step through K it reads the 16 × 4 slice of op(A) as four mat4x4f
// and the 4 × 16 slice of op(B) as four more, and adds the sixteen products — 256 multiply-adds
// for 128 loads.
//
//   accᵢⱼ (mat4x4f): column r = C[r0 + 4i + r][c0 + 4j … c0 + 4j + 3]
//   Aᵢ: column r = op(A)[r0 + 4i + r][k … k + 3]        Bⱼ: column t = op(B)[k + t][c0 + 4j … + 3]
//   accᵢⱼ += Bⱼ · Aᵢ
//
// The loads have no branch: a block on C's edge reads the rows past M as row M − 1 and the
// columns past N as column N − 1 (clamped indices, always inside the views), whose products land
// only in entries of C that are never stored. K has no such slack: whole steps of 4 run first,
// then K's last partial step one k at a time (a column of op(A) times a row of op(B)). A
// SwiftShader invocation is one lane of a 4-wide SIMD group and every load a per-lane gather, so
// what costs is a branch per load, not a scalar load: bounds-checked loads ran 5000×401·401×25
// at 0.8 GFLOP/s, clamped ones at 2.6, and 1024² as fast as four-float loads had. Any shape and
// any view (offset, stride) is exact. Links shaders/lib/gemm.wgsl (and the identity activation).
//
// One pipeline for every product: on SwiftShader each pipeline of this kernel takes 0.5–1 s to
// build. op(A) = Aᵀ and op(B) = Bᵀ are parameters (params.trans), read outside the loop at no
// measurable cost; the kernel writes C = α·op(A)·op(B) + β·C, and the rest of the epilogue —
// bias, g or ⊙ g′ — is a pass after it: matmul_direct.wgsl over K = 0 with β = 1. (Fused here as a parameter, the
// epilogue ran every activation's branch for every element — SwiftShader cannot know a
// parameter is the same in every lane — and halved the speed of products with a small K.)
//
// Dispatch: one invocation per 16 × 16 block, WG per workgroup, blocks numbered row-major over
// ceil(M/16) × ceil(N/16), product after product of a batch (params.batches): a workgroup may
// serve the blocks of several small products — 64 models' 10 × 26 gradients are 2 blocks each,
// which a workgroup of their own left half its invocations idle. The grid is (x, y) when one
// dimension would pass the device's limit.

override WG: u32 = 16;   // invocations per workgroup

// Stored offset of op(A)[row][0] (row clamped into A), and the stored distance between op(A)[·][k]
// and op(A)[·][k + 1].
fn a_row(row: u32) -> u32 {
  let r = min(row, params.m - 1u);
  return a_offset() + select(r * params.a_stride, r, (params.trans & TRANSPOSE_A) != 0u);
}
fn a_step() -> u32 {
  return select(1u, params.a_stride, (params.trans & TRANSPOSE_A) != 0u);
}

// The same for the columns of op(B): stored offset of op(B)[0][col] (col clamped into B), and the
// distance between op(B)[k][·] and op(B)[k + 1][·].
fn b_col(col: u32) -> u32 {
  let c = min(col, params.n - 1u);
  return b_offset() + select(c, c * params.b_stride, (params.trans & TRANSPOSE_B) != 0u);
}
fn b_step() -> u32 {
  return select(params.b_stride, 1u, (params.trans & TRANSPOSE_B) != 0u);
}

// op(A)[row … row + 3][k … k + 3] as the columns of a matrix (column r is row + r along k), from
// the four rows' stored offsets `at` (a_row) plus k's; k … k + 3 inside K.
fn a_slice(at: vec4u, k: u32) -> mat4x4f {
  let s = a_step();
  let o = at + vec4u(k * s);
  return mat4x4f(
    vec4f(a[o.x], a[o.x + s], a[o.x + 2u * s], a[o.x + 3u * s]),
    vec4f(a[o.y], a[o.y + s], a[o.y + 2u * s], a[o.y + 3u * s]),
    vec4f(a[o.z], a[o.z + s], a[o.z + 2u * s], a[o.z + 3u * s]),
    vec4f(a[o.w], a[o.w + s], a[o.w + 2u * s], a[o.w + 3u * s]),
  );
}

// op(B)[k … k + 3][col … col + 3] as the columns of a matrix (column t is depth k + t along the
// columns), from the four columns' stored offsets `at` (b_col) plus k's; k … k + 3 inside K.
fn b_slice(at: vec4u, k: u32) -> mat4x4f {
  let s = b_step();
  let o = at + vec4u(k * s);
  return mat4x4f(
    vec4f(b[o.x], b[o.y], b[o.z], b[o.w]),
    vec4f(b[o.x + s], b[o.y + s], b[o.z + s], b[o.w + s]),
    vec4f(b[o.x + 2u * s], b[o.y + 2u * s], b[o.z + 2u * s], b[o.w + 2u * s]),
    vec4f(b[o.x + 3u * s], b[o.y + 3u * s], b[o.z + 3u * s], b[o.w + 3u * s]),
  );
}

// op(A)[row … row + 3][k] and op(B)[k][col … col + 3] for one k inside K: K's last partial step.
fn a_column(at: vec4u, k: u32) -> vec4f {
  let o = at + vec4u(k * a_step());
  return vec4f(a[o.x], a[o.y], a[o.z], a[o.w]);
}
fn b_row(at: vec4u, k: u32) -> vec4f {
  let o = at + vec4u(k * b_step());
  return vec4f(b[o.x], b[o.y], b[o.z], b[o.w]);
}

// The outer product b ⊗ a as an accumulator: column r is a[r]·b (row r, four columns).
fn outer(b: vec4f, a: vec4f) -> mat4x4f {
  return mat4x4f(a.x * b, a.y * b, a.z * b, a.w * b);
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let blocks_n = (params.n + 15u) / 16u;
  let per_product = ((params.m + 15u) / 16u) * blocks_n;
  let flat = gid.x + gid.y * groups.x * WG;
  let product = flat / per_product;
  if (product >= params.batches) {
    return;
  }
  set_batch(product);
  let block = flat - product * per_product;
  let r0 = (block / blocks_n) * 16u;
  let c0 = (block % blocks_n) * 16u;
  // Stored offsets of the block's sixteen rows of op(A) and sixteen columns of op(B).
  let ra0 = vec4u(a_row(r0), a_row(r0 + 1u), a_row(r0 + 2u), a_row(r0 + 3u));
  let ra1 = vec4u(a_row(r0 + 4u), a_row(r0 + 5u), a_row(r0 + 6u), a_row(r0 + 7u));
  let ra2 = vec4u(a_row(r0 + 8u), a_row(r0 + 9u), a_row(r0 + 10u), a_row(r0 + 11u));
  let ra3 = vec4u(a_row(r0 + 12u), a_row(r0 + 13u), a_row(r0 + 14u), a_row(r0 + 15u));
  let cb0 = vec4u(b_col(c0), b_col(c0 + 1u), b_col(c0 + 2u), b_col(c0 + 3u));
  let cb1 = vec4u(b_col(c0 + 4u), b_col(c0 + 5u), b_col(c0 + 6u), b_col(c0 + 7u));
  let cb2 = vec4u(b_col(c0 + 8u), b_col(c0 + 9u), b_col(c0 + 10u), b_col(c0 + 11u));
  let cb3 = vec4u(b_col(c0 + 12u), b_col(c0 + 13u), b_col(c0 + 14u), b_col(c0 + 15u));

  // Unrolled by hand: accumulators in an array indexed in a loop would live in memory.
  var acc00: mat4x4f; var acc01: mat4x4f; var acc02: mat4x4f; var acc03: mat4x4f;
  var acc10: mat4x4f; var acc11: mat4x4f; var acc12: mat4x4f; var acc13: mat4x4f;
  var acc20: mat4x4f; var acc21: mat4x4f; var acc22: mat4x4f; var acc23: mat4x4f;
  var acc30: mat4x4f; var acc31: mat4x4f; var acc32: mat4x4f; var acc33: mat4x4f;
  // Whole steps of 4 through K: clamped loads, no branch.
  let whole = params.k & ~3u;
  var k = 0u;
  for (; k < whole; k += 4u) {
    let a0 = a_slice(ra0, k);
    let a1 = a_slice(ra1, k);
    let a2 = a_slice(ra2, k);
    let a3 = a_slice(ra3, k);
    let b0 = b_slice(cb0, k);
    let b1 = b_slice(cb1, k);
    let b2 = b_slice(cb2, k);
    let b3 = b_slice(cb3, k);
    acc00 += b0 * a0; acc01 += b1 * a0; acc02 += b2 * a0; acc03 += b3 * a0;
    acc10 += b0 * a1; acc11 += b1 * a1; acc12 += b2 * a1; acc13 += b3 * a1;
    acc20 += b0 * a2; acc21 += b1 * a2; acc22 += b2 * a2; acc23 += b3 * a2;
    acc30 += b0 * a3; acc31 += b1 * a3; acc32 += b2 * a3; acc33 += b3 * a3;
  }
  // K's last partial step, one k at a time: a column of op(A) times a row of op(B).
  for (; k < params.k; k++) {
    let a0 = a_column(ra0, k);
    let a1 = a_column(ra1, k);
    let a2 = a_column(ra2, k);
    let a3 = a_column(ra3, k);
    let b0 = b_row(cb0, k);
    let b1 = b_row(cb1, k);
    let b2 = b_row(cb2, k);
    let b3 = b_row(cb3, k);
    acc00 += outer(b0, a0); acc01 += outer(b1, a0); acc02 += outer(b2, a0); acc03 += outer(b3, a0);
    acc10 += outer(b0, a1); acc11 += outer(b1, a1); acc12 += outer(b2, a1); acc13 += outer(b3, a1);
    acc20 += outer(b0, a2); acc21 += outer(b1, a2); acc22 += outer(b2, a2); acc23 += outer(b3, a2);
    acc30 += outer(b0, a3); acc31 += outer(b1, a3); acc32 += outer(b2, a3); acc33 += outer(b3, a3);
  }
  // C = α·acc + β·C, stored a row of four at a time in a loop over the sixteen accumulators
  // (written out sixteen times, a pipeline took seconds to build). The columns' stored offsets
  // are computed once per block, not per element by c_at: its grouping's divisions run whether C
  // is grouped or not (SwiftShader runs both sides of a branch), and cost 1600×401 at K = 100 a
  // sixth of its time (tmp A/B in one process: 50 → 43 ms).
  let cols = array<vec4u, 4>(
    vec4u(c_column(c0), c_column(c0 + 1u), c_column(c0 + 2u), c_column(c0 + 3u)),
    vec4u(c_column(c0 + 4u), c_column(c0 + 5u), c_column(c0 + 6u), c_column(c0 + 7u)),
    vec4u(c_column(c0 + 8u), c_column(c0 + 9u), c_column(c0 + 10u), c_column(c0 + 11u)),
    vec4u(c_column(c0 + 12u), c_column(c0 + 13u), c_column(c0 + 14u), c_column(c0 + 15u)),
  );
  let blocks = array<mat4x4f, 16>(
    acc00, acc01, acc02, acc03, acc10, acc11, acc12, acc13,
    acc20, acc21, acc22, acc23, acc30, acc31, acc32, acc33,
  );
  for (var i = 0u; i < 16u; i++) {
    let at = blocks[i];
    let j = i % 4u;
    for (var r = 0u; r < 4u; r++) {
      store_product_row(r0 + 4u * (i / 4u) + r, c0 + 4u * j, cols[j], at[r]);
    }
  }
}

// Stores α·acc + β·C into the four elements of C[row][col … col + 3] that lie inside C, whose
// columns are stored at `cols` within the row (c_column): the product alone, no bias or g.
fn store_product_row(row: u32, col: u32, cols: vec4u, acc: vec4f) {
  if (row >= params.m) {
    return;
  }
  let at = vec4u(c_offset() + row * params.c_stride) + cols;
  var v = params.alpha * acc;
  if (params.beta != 0.0) {
    v += params.beta * vec4f(c[at.x], c[at.y], c[at.z], c[at.w]);
  }
  if (col < params.n) { c[at.x] = v.x; }
  if (col + 1u < params.n) { c[at.y] = v.y; }
  if (col + 2u < params.n) { c[at.z] = v.z; }
  if (col + 3u < params.n) { c[at.w] = v.w; }
}
