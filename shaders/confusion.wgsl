// The confusion matrix of a classifier on a data set, from its hypothesis h and the labels:
//
//     counts[t][p] (+)= #{ i : y⁽ⁱ⁾ = t and the predicted class of h⁽ⁱ⁾ is p }
//
// The predicted class is argmax_k h_k (the first on ties), or, with one unit (K = 1, labels 0/1),
// h ≥ 0.5 — as predict() decides. One invocation per true class t writes row t alone, walking
// every example of the chunk: no atomics, so the counts are exact and deterministic. A label
// past the last class counts as the last, as output_delta.wgsl does. Overwrites the counts on
// a data set's first chunk (ACCUMULATE false), adds to them on the others.
// With PREDICTIONS, one invocation per example writes its predicted class instead, counts[i] =
// p(i) for the chunk's rows (a classifier of too many classes for a C × C matrix is counted
// from these on the CPU, in memory proportional to m + C).
//
// Shapes: h is rows × K; y holds rows labels; counts is C × C with C = max(K, 2).
//
// | group | binding | name   | access     | shape             |
// |-------|---------|--------|------------|-------------------|
// | 0     | 0       | h      | read       | rows × K          |
// | 0     | 1       | y      | read       | rows              |
// | 0     | 2       | counts | read_write | C × C (PREDICTIONS: rows) |
// | 0     | 3       | params | uniform    | ConfusionParams   |
//
// Dispatch: ceil(C / WORKGROUP) workgroups (PREDICTIONS: ceil(rows / WORKGROUP)).

struct ConfusionParams {
  rows: u32,    // examples in this chunk
  classes: u32, // K, units of the output layer
}

const WORKGROUP: u32 = 64u; // true classes per workgroup (src/kernels/confusion.ts reads it)
override ACCUMULATE: bool = false;
override PREDICTIONS: bool = false;

@group(0) @binding(0) var<storage, read> h: array<f32>;
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read_write> counts: array<f32>;
@group(0) @binding(3) var<uniform> params: ConfusionParams;

// The class predict() gives example i.
fn predicted(i: u32) -> u32 {
  let k = params.classes;
  if (k == 1u) {
    return select(0u, 1u, h[i] >= 0.5);
  }
  var best = 0u;
  for (var c = 1u; c < k; c++) {
    if (h[i * k + c] > h[i * k + best]) {
      best = c;
    }
  }
  return best;
}

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  if (PREDICTIONS) {
    if (gid.x < params.rows) {
      counts[gid.x] = f32(predicted(gid.x));
    }
    return;
  }
  let n = max(params.classes, 2u);
  let t = gid.x;
  if (t >= n) {
    return;
  }
  if (!ACCUMULATE) {
    for (var p = 0u; p < n; p++) {
      counts[t * n + p] = 0.0;
    }
  }
  for (var i = 0u; i < params.rows; i++) {
    if (min(u32(y[i]), n - 1u) == t) {
      counts[t * n + predicted(i)] += 1.0;
    }
  }
}
