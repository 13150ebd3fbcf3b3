// Mini-batch assembly: copies the rows of one batch, in the epoch's order, from the training
// set (already on the GPU) into the batch buffers the hypothesis reads:
//
//     x̃_b[r] = x̃[π_e(p + r)],  y_b[r] = y[π_e(p + r)]     r = 0 … count − 1
//
// π_e is the seeded shuffle of epoch e (lib/shuffle.wgsl) or the data order; p and count come
// from the step record. Rows r ≥ count (a short last batch) are zeroed. A training set
// split into chunks is gathered with one dispatch per chunk, each copying the rows that lie in
// its chunk; a batch too large for one binding is gathered part by part, each part's buffers
// holding batch rows batch_start … batch_start + batch − 1. Several training sets of m rows each
// (the folds of a cross-validation trained as one, src/train/folds.ts) sit one after another in
// one chunk: each set's batch is gathered by the same order into its own rows of x̃_b and y_b,
// set after set. Overwrites x̃_b and y_b. Links
// lib/elementwise.wgsl, lib/shuffle.wgsl, lib/step.wgsl.
//
// Shapes: x̃ is the chunk, chunk_rows × cols; y the chunk's chunk_rows targets; x̃_b is the
// part, batch × cols, y_b its batch targets.
//
// | group | binding | name    | access     | shape                |
// |-------|---------|---------|------------|----------------------|
// | 0     | 0       | x       | read       | chunk_rows × cols    |
// | 0     | 1       | y       | read       | chunk_rows           |
// | 0     | 2       | x_batch | read_write | batch × cols         |
// | 0     | 3       | y_batch | read_write | batch                |
// | 0     | 4       | params  | uniform    | GatherParams         |
// | 1     | 0       | step    | uniform    | StepRecord (dynamic) |
//
// Dispatch: one invocation per GATHER_COLS-column segment of each batch row, flat (folded into
// x and y past maxComputeWorkgroupsPerDimension). Each invocation finds its row's source and
// copies its segment; no workgroup memory and no barrier, which software adapters pay dearly for.

struct GatherParams {
  batch: u32,       // rows of this part's batch buffers
  batch_start: u32, // the part's first row in the whole batch
  cols: u32,        // columns of x̃ (n + 1)
  examples: u32,    // m
  chunk_start: u32, // index of the chunk's first example in the training set
  chunk_rows: u32,
  shuffle: u32,     // 1: seeded shuffle per epoch; 0: data order
  seed: u32,
  sets: u32,        // training sets in the chunk, each `examples` rows, one after another (the folds
                    //   trained as one); set s's batch rows follow set s − 1's in x̃_b and y_b
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read_write> x_batch: array<f32>;
@group(0) @binding(3) var<storage, read_write> y_batch: array<f32>;
@group(0) @binding(4) var<uniform> params: GatherParams;
@group(1) @binding(0) var<uniform> step: StepRecord;

const GATHER_COLS: u32 = 32u;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let cols = params.cols;
  let segments = (cols + GATHER_COLS - 1u) / GATHER_COLS;
  let task = flat_index(gid, groups);
  let row = task / segments; // in this part's buffers, over every set
  if (row >= params.batch * params.sets) {
    return;
  }
  let which = row / params.batch; // the training set
  let r = row % params.batch;
  let c0 = (task % segments) * GATHER_COLS;
  let c1 = min(c0 + GATHER_COLS, cols);
  let b = params.batch_start + r; // row in the whole batch
  if (b >= step.count) {
    // Past the batch's count: zeros, written by the first chunk's dispatch.
    if (params.chunk_start == 0u) {
      for (var c = c0; c < c1; c++) {
        x_batch[row * cols + c] = 0.0;
      }
      if (c0 == 0u) {
        y_batch[row] = 0.0;
      }
    }
    return;
  }
  var source = step.position + b;
  if (params.shuffle == 1u) {
    source = shuffled_index(source, params.examples, params.seed, step.epoch);
  }
  source += which * params.examples;
  if (source < params.chunk_start || source >= params.chunk_start + params.chunk_rows) {
    return;
  }
  let at = source - params.chunk_start;
  for (var c = c0; c < c1; c++) {
    x_batch[row * cols + c] = x[at * cols + c];
  }
  if (c0 == 0u) {
    y_batch[row] = y[at];
  }
}
