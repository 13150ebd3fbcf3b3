// Matrix multiply with a fused dense-layer epilogue:
//
//     C = act(α · op(A) · op(B) + β · C + 1·biasᵀ)      op(X) = X or Xᵀ
//
//     act = none, a layer's activation g (ACTIVATE: forward; with SAVE_Z, z kept in S for
//     backward), or ⊙ g′ computed from what the forward pass saved, S = a or z (GRADIENT:
//     backward, δ⁽ˡ⁾ = δ⁽ˡ⁺¹⁾Θ⁽ˡ⁾ ⊙ g′(z⁽ˡ⁾), the hidden-layer δ in one dispatch; for σ,
//     g′ = a ⊙ (1 − a) from S = a)
//
// g and g′ are `activation` and `activation_gradient` of the activation file linked in front
// (shaders/activations/, from the registry in src/activations.ts): one module per activation.
//
// Overwrites C when β = 0 (C is then never read, so stale or NaN contents cannot leak in);
// accumulates into C when β ≠ 0 (Δ⁽ˡ⁾ += δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ over chunks of a training set).
// With transB, bias and σ this is a layer's whole forward pass in one dispatch:
// a⁽ˡ⁺¹⁾ = g(a⁽ˡ⁾ Θᵀ + b), one example per row. Links an activation.
//
// Shapes (M, N, K): op(A) is M×K, op(B) is K×N, C is M×N, bias has N entries (one per column
// of C, i.e. one per output unit). Every matrix is row-major and addressed through an element
// offset and a row stride, so a view into a larger buffer (a column block, a sub-matrix) is
// read and written in place. Stored shapes: A is M×K (K×M if TRANS_A), B is K×N (N×K if TRANS_B).
// The parameters, the bindings (a, b, c, bias, params, saved), the bounds-checked loads and the
// epilogue are shaders/lib/gemm.wgsl's, shared with matmul_blocked.wgsl; this file is the walk.
//
// Tiling: a workgroup of WG_N × WG_M invocations computes a (4·R·WG_M) × (4·R·WG_N) tile of C,
// each invocation R × R blocks of 4×4 held in registers (R = REG_BLOCKS, 1 or 2: an 8×8 register
// tile, its blocks 4·WG_M rows and 4·WG_N columns apart, so neighbouring invocations still read
// neighbouring vec4s of workgroup memory). The K dimension is walked TILE_K at a time
// through workgroup memory: every element of A and B is read from storage once per tile
// instead of once per output. Tiles past the edge of a matrix are padded with zeros, so any
// M, N, K (1×1, primes) is exact. Dispatch: (ceil(N / 4·R·WG_N), ceil(M / 4·R·WG_M), 1). Every
// tiling sums each element of C in the same order, k = 0 … K − 1: the same bits whichever runs.
//
// Bindings: shaders/lib/gemm.wgsl's six, and two more —
//
// | group | binding | name | access | shape                                          |
// |-------|---------|------|--------|------------------------------------------------|
// | 0     | 6       | a4   | read   | the buffer of a, four floats an element (VEC4) |
// | 0     | 7       | b4   | read   | the buffer of b, four floats an element (VEC4) |
//
// VEC4: each invocation stages four neighbouring floats of the stored matrix with one vec4 load
// (bindings a4 and b4: the same buffers as a and b, read four floats an element) wherever they
// are aligned and inside the matrix; elsewhere — views at odd offsets or strides, the matrix's
// edges — four scalar loads. The tile holds the same values either way.
//
// Split-K (SPLIT_K, hardware adapters, products with too few tiles of C to fill the GPU, such as
// the gradient Δ = δᵀa: 25 × 401 over thousands of examples): S layers of workgroups, dispatch
// (…, …, S), layer z summing K-slice z into its own M × N partial; matmul_split.wgsl
// then adds the S partials in order and applies the epilogue. No atomics: reruns are
// bit-identical.

override WG_M: u32 = 16;         // invocations along M (rows of C); the host picks WG_M, WG_N,
                                 // TILE_K per shape (src/kernels/matmul.ts, chooseTiling)
override WG_N: u32 = 16;         // invocations along N (columns of C)

override TILE_K: u32 = 16;       // depth of one step through K
override SPLIT_K: bool = false;  // the z-th layer of workgroups sums only K-slice z (k_slice deep) and
                                 // writes its raw partial product into c as S × M × N; the
                                 // epilogue is matmul_split.wgsl's
override REG_BLOCKS: u32 = 1u;   // 4×4 blocks per invocation along M and along N: 1 or 2
override VEC4: bool = false;     // stage through a4, b4: four neighbouring floats per load where aligned
override TILE_M: u32 = 4u * WG_M * REG_BLOCKS; // rows of C per workgroup: derived, never set it
override TILE_N: u32 = 4u * WG_N * REG_BLOCKS; // columns of C per workgroup: derived, never set it

// k-major tiles, four consecutive rows (A) or columns (B) per vec4, so an invocation reads
// its four rows of op(A) and four columns of op(B) at depth k with two loads.
// a and b again, four floats an element, for VEC4's loads (the host binds the same buffers).
@group(0) @binding(6) var<storage, read> a4: array<vec4f>;
@group(0) @binding(7) var<storage, read> b4: array<vec4f>;

var<workgroup> a_tile: array<vec4f, TILE_K * WG_M * REG_BLOCKS>;
var<workgroup> b_tile: array<vec4f, TILE_K * WG_N * REG_BLOCKS>;

// Stores one 4×4 block whose top-left element is C[row][col]: through the epilogue, or (split-K)
// as slice z's raw partial product.
fn store_block(z: u32, row: u32, col: u32, acc0: vec4f, acc1: vec4f, acc2: vec4f, acc3: vec4f) {
  if (SPLIT_K) {
    store_partial(z, row, col, acc0);
    store_partial(z, row + 1u, col, acc1);
    store_partial(z, row + 2u, col, acc2);
    store_partial(z, row + 3u, col, acc3);
    return;
  }
  store_row(row, col, acc0);
  store_row(row + 1u, col, acc1);
  store_row(row + 2u, col, acc2);
  store_row(row + 3u, col, acc3);
}

// Split-K: one row of slice z's raw partial product, into c as S contiguous M × N matrices.
fn store_partial(z: u32, row: u32, col: u32, acc: vec4f) {
  if (row >= params.m) {
    return;
  }
  let at = (z * params.m + row) * params.n + col;
  if (col < params.n) { c[at] = acc.x; }
  if (col + 1u < params.n) { c[at + 1u] = acc.y; }
  if (col + 2u < params.n) { c[at + 2u] = acc.z; }
  if (col + 3u < params.n) { c[at + 3u] = acc.w; }
}

// Stage op(A)[tile rows][k0 .. k0 + TILE_K) and op(B)[k0 .. k0 + TILE_K)[tile columns] into
// workgroup memory, zero past the matrix or the slice's k_end. Neighbouring invocations take
// neighbouring elements of the stored matrix: one each, or (VEC4) four each.
fn stage_a(tile_row: u32, k0: u32, k_end: u32, tid: u32) {
  for (var e = tid; e < TILE_M * TILE_K; e += WG_M * WG_N) {
    var r: u32;
    var kk: u32;
    if (TRANS_A) { kk = e / TILE_M; r = e % TILE_M; } else { r = e / TILE_K; kk = e % TILE_K; }
    a_tile[kk * (TILE_M / 4u) + r / 4u][r % 4u] = select(0.0, load_a(tile_row + r, k0 + kk), k0 + kk < k_end);
  }
}

fn stage_b(tile_col: u32, k0: u32, k_end: u32, tid: u32) {
  for (var e = tid; e < TILE_N * TILE_K; e += WG_M * WG_N) {
    var col: u32;
    var kk: u32;
    if (TRANS_B) { col = e / TILE_K; kk = e % TILE_K; } else { kk = e / TILE_N; col = e % TILE_N; }
    b_tile[kk * (TILE_N / 4u) + col / 4u][col % 4u] = select(0.0, load_b(k0 + kk, tile_col + col), k0 + kk < k_end);
  }
}

// Four elements of op(A) from (row, col) on, along the stored matrix's rows (down op(A)'s
// column if TRANS_A, else along its row): one vec4 load where they are aligned and all inside
// op(A) and the slice, else four bounds-checked loads. The same values either way.
fn quad_a(row: u32, col: u32, k_end: u32) -> vec4f {
  let dr = select(0u, 1u, TRANS_A);
  let dc = 1u - dr;
  let at = a_offset() + select(row * params.a_stride + col, col * params.a_stride + row, TRANS_A);
  if (row + 3u * dr < params.m && col + 3u * dc < k_end && at % 4u == 0u) {
    return a4[at / 4u];
  }
  return vec4f(select(0.0, load_a(row, col), col < k_end), select(0.0, load_a(row + dr, col + dc), col + dc < k_end),
               select(0.0, load_a(row + 2u * dr, col + 2u * dc), col + 2u * dc < k_end), select(0.0, load_a(row + 3u * dr, col + 3u * dc), col + 3u * dc < k_end));
}

// Four elements of op(B) from (row, col) on, along the stored matrix's rows (down op(B)'s
// column if TRANS_B, else along its row), as quad_a.
fn quad_b(row: u32, col: u32, k_end: u32) -> vec4f {
  let dr = select(0u, 1u, TRANS_B);
  let dc = 1u - dr;
  let at = b_offset() + select(row * params.b_stride + col, col * params.b_stride + row, TRANS_B);
  if (row + 3u * dr < k_end && col + 3u * dc < params.n && at % 4u == 0u) {
    return b4[at / 4u];
  }
  return vec4f(select(0.0, load_b(row, col), row < k_end), select(0.0, load_b(row + dr, col + dc), row + dr < k_end),
               select(0.0, load_b(row + 2u * dr, col + 2u * dc), row + 2u * dr < k_end), select(0.0, load_b(row + 3u * dr, col + 3u * dc), row + 3u * dr < k_end));
}

// stage_a with four neighbouring elements per invocation (VEC4; TILE_K a multiple of 4).
fn stage_a4(tile_row: u32, k0: u32, k_end: u32, tid: u32) {
  let rows = TILE_M / 4u;
  for (var g = tid; g < TILE_M * TILE_K / 4u; g += WG_M * WG_N) {
    if (TRANS_A) {
      // Four rows of op(A) at one depth: one vec4 of the tile.
      let kk = g / rows;
      let r = 4u * (g % rows);
      a_tile[kk * rows + r / 4u] = quad_a(tile_row + r, k0 + kk, k_end);
    } else {
      // One row of op(A) at four depths.
      let r = g / (TILE_K / 4u);
      let kk = 4u * (g % (TILE_K / 4u));
      let v = quad_a(tile_row + r, k0 + kk, k_end);
      a_tile[kk * rows + r / 4u][r % 4u] = v.x;
      a_tile[(kk + 1u) * rows + r / 4u][r % 4u] = v.y;
      a_tile[(kk + 2u) * rows + r / 4u][r % 4u] = v.z;
      a_tile[(kk + 3u) * rows + r / 4u][r % 4u] = v.w;
    }
  }
}

// stage_b with four neighbouring elements per invocation (VEC4).
fn stage_b4(tile_col: u32, k0: u32, k_end: u32, tid: u32) {
  let cols = TILE_N / 4u;
  for (var g = tid; g < TILE_N * TILE_K / 4u; g += WG_M * WG_N) {
    if (TRANS_B) {
      // One column of op(B) at four depths.
      let col = g / (TILE_K / 4u);
      let kk = 4u * (g % (TILE_K / 4u));
      let v = quad_b(k0 + kk, tile_col + col, k_end);
      b_tile[kk * cols + col / 4u][col % 4u] = v.x;
      b_tile[(kk + 1u) * cols + col / 4u][col % 4u] = v.y;
      b_tile[(kk + 2u) * cols + col / 4u][col % 4u] = v.z;
      b_tile[(kk + 3u) * cols + col / 4u][col % 4u] = v.w;
    } else {
      // Four columns of op(B) at one depth: one vec4 of the tile.
      let kk = g / cols;
      let col = 4u * (g % cols);
      b_tile[kk * cols + col / 4u] = quad_b(k0 + kk, tile_col + col, k_end);
    }
  }
}

@compute @workgroup_size(WG_N, WG_M)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let tile_row = wid.y * TILE_M;
  let tile_col = wid.x * TILE_N;
  let tid = lid.y * WG_N + lid.x;
  // z: product z / S of a batch, and (split-K) its K-slice z % S; partials are stored by z.
  set_batch(wid.z / params.slices);

  let a_rows = TILE_M / 4u; // vec4s of a_tile per depth k
  let b_cols = TILE_N / 4u;

  // accI[j] = C[tile_row + 4·lid.y + I][tile_col + 4·lid.x + j], kept in registers; with
  // REG_BLOCKS = 2 also acc4…7 (4·WG_N columns right), acc8…11 (4·WG_M rows down), acc12…15 (both).
  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  var acc4 = vec4f(0.0);
  var acc5 = vec4f(0.0);
  var acc6 = vec4f(0.0);
  var acc7 = vec4f(0.0);
  var acc8 = vec4f(0.0);
  var acc9 = vec4f(0.0);
  var acc10 = vec4f(0.0);
  var acc11 = vec4f(0.0);
  var acc12 = vec4f(0.0);
  var acc13 = vec4f(0.0);
  var acc14 = vec4f(0.0);
  var acc15 = vec4f(0.0);

  // K, or this layer's slice of it (split-K): [k_begin, k_end).
  let k_begin = select(0u, (wid.z % params.slices) * params.k_slice, SPLIT_K);
  let k_end = select(params.k, min(params.k, k_begin + params.k_slice), SPLIT_K);
  for (var k0 = k_begin; k0 < k_end; k0 += TILE_K) {
    if (VEC4) {
      stage_a4(tile_row, k0, k_end, tid);
      stage_b4(tile_col, k0, k_end, tid);
    } else {
      stage_a(tile_row, k0, k_end, tid);
      stage_b(tile_col, k0, k_end, tid);
    }
    workgroupBarrier();

    for (var kk = 0u; kk < TILE_K; kk++) {
      let av = a_tile[kk * a_rows + lid.y];
      let bv = b_tile[kk * b_cols + lid.x];
      acc0 += av.x * bv;
      acc1 += av.y * bv;
      acc2 += av.z * bv;
      acc3 += av.w * bv;
      if (REG_BLOCKS == 2u) {
        let av2 = a_tile[kk * a_rows + WG_M + lid.y];
        let bv2 = b_tile[kk * b_cols + WG_N + lid.x];
        acc4 += av.x * bv2;
        acc5 += av.y * bv2;
        acc6 += av.z * bv2;
        acc7 += av.w * bv2;
        acc8 += av2.x * bv;
        acc9 += av2.y * bv;
        acc10 += av2.z * bv;
        acc11 += av2.w * bv;
        acc12 += av2.x * bv2;
        acc13 += av2.y * bv2;
        acc14 += av2.z * bv2;
        acc15 += av2.w * bv2;
      }
    }
    workgroupBarrier();
  }

  // Epilogue, unrolled by hand: a dynamically indexed acc[i][j] would live in memory, not registers.
  let row = tile_row + 4u * lid.y;
  let col = tile_col + 4u * lid.x;
  store_block(wid.z, row, col, acc0, acc1, acc2, acc3);
  if (REG_BLOCKS == 2u) {
    let row2 = row + 4u * WG_M;
    let col2 = col + 4u * WG_N;
    store_block(wid.z, row, col2, acc4, acc5, acc6, acc7);
    store_block(wid.z, row2, col, acc8, acc9, acc10, acc11);
    store_block(wid.z, row2, col2, acc12, acc13, acc14, acc15);
  }
}
