// Mini-batch assembly: copies the rows of one batch, in the epoch's order, from the training
// set (already on the GPU) into the batch buffers the hypothesis reads:
//
//     x̃_b[r] = x̃[π_e(p + r)],  y_b[r] = y[π_e(p + r)]     r = 0 … count − 1
//
// π_e is the seeded shuffle of epoch e (lib/shuffle.wgsl) or the data order; p and count come
// from the step record. Rows r ≥ count (a short last batch) are zeroed. A training set
// split into chunks is gathered with one dispatch per chunk, each copying the rows that lie in
// its chunk. Overwrites x̃_b and y_b. Links lib/elementwise.wgsl, lib/shuffle.wgsl, lib/step.wgsl.
//
// Shapes: x̃ is the chunk, chunk_rows × cols; y the chunk's chunk_rows targets; x̃_b is
// batch × cols, y_b batch targets.
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
// Dispatch: one invocation per element of x̃_b, flat.

struct GatherParams {
  batch: u32,       // rows of the batch buffers
  cols: u32,        // columns of x̃ (n + 1)
  examples: u32,    // m
  chunk_start: u32, // index of the chunk's first example in the training set
  chunk_rows: u32,
  shuffle: u32,     // 1: seeded shuffle per epoch; 0: data order
  seed: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read_write> x_batch: array<f32>;
@group(0) @binding(3) var<storage, read_write> y_batch: array<f32>;
@group(0) @binding(4) var<uniform> params: GatherParams;
@group(1) @binding(0) var<uniform> step: StepRecord;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let e = flat_index(gid, groups);
  if (e >= params.batch * params.cols) {
    return;
  }
  let r = e / params.cols;
  let c = e % params.cols;
  if (r >= step.count) {
    if (params.chunk_start == 0u) {
      x_batch[e] = 0.0;
      if (c == 0u) {
        y_batch[r] = 0.0;
      }
    }
    return;
  }
  var source = step.position + r;
  if (params.shuffle == 1u) {
    source = shuffled_index(source, params.examples, params.seed, step.epoch);
  }
  if (source < params.chunk_start || source >= params.chunk_start + params.chunk_rows) {
    return;
  }
  let row = source - params.chunk_start;
  x_batch[e] = x[row * params.cols + c];
  if (c == 0u) {
    y_batch[r] = y[row];
  }
}
