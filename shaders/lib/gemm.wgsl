// Library of the matrix-multiply kernels (matmul.wgsl, matmul_blocked.wgsl, and split-K's second
// pass matmul_split.wgsl): the shapes and
// views they read (MatmulParams), their bindings, the bounds-checked loads of op(A) and op(B),
// and the fused epilogue C = act(α·acc + β·C + bias) or (…) ⊙ g′(S) that writes C. The kernels
// differ only in how they walk the product; what they read and write is defined here, once.
// Links an activation (g and g′ of the epilogue).
//
// | group | binding | name   | access     | shape                                       |
// |-------|---------|--------|------------|---------------------------------------------|
// | 0     | 0       | a      | read       | stored A: rows × cols at a_offset, a_stride |
// | 0     | 1       | b      | read       | stored B: rows × cols at b_offset, b_stride |
// | 0     | 2       | c      | read_write | M × N at c_offset, c_stride                 |
// | 0     | 3       | bias   | read       | N values at bias_offset, bias_stride apart  |
// | 0     | 4       | params | uniform    | MatmulParams                                |
// | 0     | 5       | saved  | read_write | M × N at saved_offset, saved_stride: S      |
//
// S is what a layer's forward pass keeps for its backward pass's g′: the activation a = g(z) or,
// for an activation whose g′ needs it (the registry's derivativeFrom, src/activations.ts), z
// itself. The forward epilogue writes z there (SAVE_Z); a hidden δ's epilogue reads it (GRADIENT).

struct MatmulParams {
  m: u32,            // rows of op(A) and C
  n: u32,            // columns of op(B) and C
  k: u32,            // columns of op(A) = rows of op(B)
  a_offset: u32,     // element offset of stored A[0][0]
  a_stride: u32,     // elements between consecutive rows of stored A
  b_offset: u32,
  b_stride: u32,
  c_offset: u32,
  c_stride: u32,
  bias_offset: u32,  // element offset of bias[0]
  bias_stride: u32,  // elements between bias[j] and bias[j + 1]
  alpha: f32,        // α, scales op(A)·op(B)
  beta: f32,         // β, scales the C already in the buffer; 0 means C is not read
  saved_offset: u32, // element offset of S[0][0] (SAVE_Z, GRADIENT)
  saved_stride: u32, // elements between consecutive rows of S
  k_slice: u32,      // split-K (matmul.wgsl SPLIT_K): depth of K each layer of workgroups sums; K otherwise
  slices: u32,       // split-K: S, the partial products matmul_split.wgsl adds; 1 otherwise
  trans: u32,        // matmul_blocked.wgsl: TRANSPOSE_A | TRANSPOSE_B (matmul.wgsl: the overrides below)
  batch_a: u32,      // a batch of products (one per model, src/kernels/matmul.ts MatmulOptions.batch):
  batch_b: u32,      //   elements between product p's stored A (B, C, bias, G) and product p + 1's;
  batch_c: u32,      //   0 shares the operand. Product p is the dispatch's z-th layer (matmul.wgsl:
  batch_bias: u32,   //   z / slices); set_batch() puts its offsets in the views below
  batch_saved: u32,
  c_group: u32,      // C's columns in groups of c_group (0: not grouped), group g's first column
  c_group_stride: u32, //   c_group_stride elements after group g − 1's (MatmulOptions.columnGroups)
  batches: u32,      // products in the batch (1: one product)
  repeat_a: u32,     // products in a row that read one A: product p's A is number ⌊p / repeat_a⌋ (≥ 1;
  repeat_b: u32,     //   several folds' models, each fold's x̃ read by its own models), B likewise
}

const TRANSPOSE_A: u32 = 1u;     // op(A) = Aᵀ, as a parameter (matmul_blocked.wgsl)
const TRANSPOSE_B: u32 = 2u;     // op(B) = Bᵀ

override TRANS_A: bool = false;  // op(A) = Aᵀ (matmul.wgsl, whose inner loop it shapes)
override TRANS_B: bool = false;  // op(B) = Bᵀ
override HAS_BIAS: bool = false; // add bias[j] to column j
override ACTIVATE: bool = false; // C = g(…): a layer's forward pass
override SAVE_Z: bool = false;   // with ACTIVATE: z stored into S before g (a layer whose g′ needs z)
override GRADIENT: bool = false; // C = (…) ⊙ g′ computed from S: a hidden layer's δ

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<uniform> params: MatmulParams;
@group(0) @binding(5) var<storage, read_write> saved: array<f32>;

// The product of a batch this invocation computes (0 for a single product): every kernel's
// entry point sets it first (set_batch), and the views' offsets below move with it.
var<private> batch: u32;
// Where product `batch`'s A and B start (A and B may repeat over products: repeat_a, repeat_b).
var<private> a_start: u32;
var<private> b_start: u32;

fn set_batch(p: u32) {
  batch = p;
  a_start = params.a_offset + (p / params.repeat_a) * params.batch_a;
  b_start = params.b_offset + (p / params.repeat_b) * params.batch_b;
}

// The element offsets of this invocation's product's views: params' offsets moved to product
// `batch`. Every load and store reads these, never params' own.
fn a_offset() -> u32 { return a_start; }
fn b_offset() -> u32 { return b_start; }
fn c_offset() -> u32 { return params.c_offset + batch * params.batch_c; }
fn bias_offset() -> u32 { return params.bias_offset + batch * params.batch_bias; }
fn saved_offset() -> u32 { return params.saved_offset + batch * params.batch_saved; }

// op(A)[row][col], zero outside the M×K matrix.
fn load_a(row: u32, col: u32) -> f32 {
  if (row >= params.m || col >= params.k) {
    return 0.0;
  }
  if (TRANS_A) {
    return a[a_offset() + col * params.a_stride + row];
  }
  return a[a_offset() + row * params.a_stride + col];
}

// op(B)[row][col], zero outside the K×N matrix.
fn load_b(row: u32, col: u32) -> f32 {
  if (row >= params.k || col >= params.n) {
    return 0.0;
  }
  if (TRANS_B) {
    return b[b_offset() + col * params.b_stride + row];
  }
  return b[b_offset() + row * params.b_stride + col];
}

// Where column `col` of C is stored within a row: columns one after another, or in groups (c_group).
fn c_column(col: u32) -> u32 {
  if (params.c_group != 0u) {
    return (col / params.c_group) * params.c_group_stride + col % params.c_group;
  }
  return col;
}

// Where C[row][col] is stored.
fn c_at(row: u32, col: u32) -> u32 {
  return c_offset() + row * params.c_stride + c_column(col);
}

// C[row][col] = act(α·acc + β·C + bias[col]): the epilogue of one output element.
fn store(row: u32, col: u32, acc: f32) {
  let at = c_at(row, col);
  var v = params.alpha * acc;
  if (params.beta != 0.0) {
    v += params.beta * c[at];
  }
  if (HAS_BIAS) {
    v += bias[bias_offset() + col * params.bias_stride];
  }
  let s = saved_offset() + row * params.saved_stride + col;
  if (ACTIVATE) {
    if (SAVE_Z) {
      saved[s] = v;
    }
    v = activation(v);
  } else if (GRADIENT) {
    v *= activation_gradient(saved[s]);
  }
  c[at] = v;
}

// Stores the four values of one row of an invocation's 4×4 block that lie inside C.
fn store_row(row: u32, col: u32, acc: vec4f) {
  if (row >= params.m) {
    return;
  }
  if (col < params.n) { store(row, col, acc.x); }
  if (col + 1u < params.n) { store(row, col + 1u, acc.y); }
  if (col + 2u < params.n) { store(row, col + 2u, acc.z); }
  if (col + 3u < params.n) { store(row, col + 3u, acc.w); }
}
