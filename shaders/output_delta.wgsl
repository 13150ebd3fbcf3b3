// The output layer of every model: hypothesis, per-example cost and the output error
// δ⁽ᴸ⁾ = h − y that backward needs. z = Θᵀa is the last layer's pre-activation (matmul.wgsl);
// y is the target: a value, a label 0/1, or a class 0…K−1 (one-hot for softmax and K sigmoid units).
//
//   HEAD_LINEAR:    h = z                        cost ½(h − y)²
//   HEAD_LOGISTIC:  h = σ(z)                     cost −[y log h + (1 − y) log(1 − h)]
//                                                     = max(z, 0) − y·z + log(1 + e^−|z|)
//   HEAD_SOFTMAX:   φₖ = e^(zₖ − max z) / Σⱼ e^(zⱼ − max z)
//                                                cost −log φ_y = log Σⱼ e^(zⱼ − max z) + max z − z_y
//   HEAD_SIGMOID:   hₖ = σ(zₖ), K one-vs-all units (the lecture's network output)
//                                                cost Σₖ −[yₖ log hₖ + (1 − yₖ) log(1 − hₖ)]
//
// Each cost is written in the form that never takes log(0) or overflows (logits of ±1000 are
// exact), and keeps its small terms: log(1 + e^−|z|) and softmax's log Σ are computed with an
// exp and a log1p accurate to ~1e−7 relative (WGSL's exp() is only specified to 3 + 2|x| ulps and
// log() near 1 to an absolute 2⁻²¹, which would lose or garble a per-example cost of 1e−6). For all four the gradient of the cost with respect to z is h − y, so the error
// written is δ⁽ᴸ⁾ = (h − y)/count: backward's x̃ᵀδ is then the batch's mean gradient
// (1/m) Σ (h − y) x̃. Rows past the batch's count get δ = 0.
// Also writes, at the example's position in the epoch, its cost and whether the predicted
// label is right (1/0; linear writes 0), which epoch_end.wgsl sums.
// PREDICT mode writes h (K values per row) into delta_or_h and nothing else.
// Overwrites delta_or_h (δ⁽ᴸ⁾ when training, h with PREDICT), loss[position…], correct[position…]. Links lib/sigmoid.wgsl, lib/step.wgsl.
//
// Shapes: z and delta_or_h are rows × K (K = 1 for linear and logistic); y holds rows targets from
// y_offset; loss and correct hold one value per example of the epoch (m). Several models trained
// as one take one dispatch: model p's z, δ, loss and correct are p·batch_rows and p·batch_examples
// further on (y is shared).
//
// | group | binding | name    | access     | shape                  |
// |-------|---------|---------|------------|------------------------|
// | 0     | 0       | z       | read       | rows × K               |
// | 0     | 1       | y       | read       | rows, from y_offset    |
// | 0     | 2       | delta_or_h | read_write | rows × K            |
// | 0     | 3       | loss    | read_write | m                      |
// | 0     | 4       | correct | read_write | m                      |
// | 0     | 5       | params  | uniform    | HeadParams             |
// | 1     | 0       | step    | uniform    | StepRecord (dynamic)   |
//
// Dispatch: one invocation per row, flat (lib/elementwise.wgsl's flat_index); the host picks
// WORKGROUP_SIZE (64: rows are few and each does K-wide work); z: the model.

struct HeadParams {
  rows: u32,       // rows of z in this dispatch
  classes: u32,    // K
  y_offset: u32,   // element offset of this dispatch's first label_y in y
  row_offset: u32, // index in the batch of this dispatch's first row (chunked full batches)
  batch_rows: u32,     // models trained as one (src/train/group.ts), model p the dispatch's z-th
  batch_examples: u32, //   layer: elements between model p's z and δ (h) and p + 1's, and between its loss and correct and p + 1's
  y_repeat: u32,   // models in a row that read one set of targets (≥ 1; the models of one fold)
  batch_y: u32,    //   elements between one set's targets and the next's: model p reads set ⌊p / y_repeat⌋
}

const HEAD_LINEAR: u32 = 0u;
const HEAD_LOGISTIC: u32 = 1u;
const HEAD_SOFTMAX: u32 = 2u;
const HEAD_SIGMOID: u32 = 3u; // K one-vs-all sigmoid units
override HEAD: u32 = HEAD_LINEAR; // one of the four above (src/kernels/output_delta.ts reads them)
override PREDICT: bool = false;

@group(0) @binding(0) var<storage, read> z: array<f32>;
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read_write> delta_or_h: array<f32>;
@group(0) @binding(3) var<storage, read_write> loss: array<f32>;
@group(0) @binding(4) var<storage, read_write> correct: array<f32>;
@group(0) @binding(5) var<uniform> params: HeadParams;
@group(1) @binding(0) var<uniform> step: StepRecord;

// e^(−x) for x ≥ 0, to ~1e−7 relative over f32's range. Cody–Waite: x = n·ln 2 + r with
// |r| ≤ ln 2 / 2 (ln 2 split in two so that n·LN2_HI is exact), e^(−r) by its Taylor series to
// r⁸/8! (truncation below 3e−10) and 2^(−n) exactly by ldexp.
fn exp_neg(x: f32) -> f32 {
  if (x > 103.0) {
    return 0.0; // below f32's smallest subnormal
  }
  let n = round(x * 1.4426950408889634);
  let r = (x - n * 0.693145751953125) - n * 1.4286068203094173e-6;
  let p = 1.0 - r * (1.0 - r * (0.5 - r * (1.0 / 6.0 - r * (1.0 / 24.0 - r * (1.0 / 120.0 - r * (1.0 / 720.0 - r * (1.0 / 5040.0 - r / 40320.0)))))));
  return ldexp(p, -i32(n));
}

// log(1 + x) for x ≥ 0, accurate when x is tiny (where 1 + x rounds to 1): for x ≤ 1 the series
// 2·atanh(t) = 2(t + t³/3 + t⁵/5 + …) with t = x/(2 + x) ≤ 1/3, to t¹⁷/17 (truncation below 2e−10).
fn log1p(x: f32) -> f32 {
  if (x > 1.0) {
    return log(1.0 + x);
  }
  let t = x / (2.0 + x);
  let t2 = t * t;
  return 2.0 * t * (1.0 + t2 * (1.0 / 3.0 + t2 * (1.0 / 5.0 + t2 * (1.0 / 7.0 + t2 * (1.0 / 9.0 + t2 * (1.0 / 11.0 + t2 * (1.0 / 13.0 + t2 * (1.0 / 15.0 + t2 / 17.0))))))));
}

// −[y log σ(s) + (1 − y) log(1 − σ(s))] in the logits form, which never takes log(0):
// max(s, 0) − y·s + log(1 + e^−|s|), the last term kept to ~1e−7 relative however small.
fn cross_entropy(s: f32, y: f32) -> f32 {
  return max(s, 0.0) - y * s + log1p(exp_neg(abs(s)));
}

// PREDICT: h itself, K values per row.
fn predict_row(base: u32, k: u32) {
  if (HEAD == HEAD_LINEAR) {
    delta_or_h[base] = z[base];
  } else if (HEAD == HEAD_LOGISTIC || HEAD == HEAD_SIGMOID) {
    for (var c = 0u; c < k; c++) {
      delta_or_h[base + c] = sigmoid(z[base + c]);
    }
  } else {
    var top = z[base];
    for (var c = 1u; c < k; c++) {
      top = max(top, z[base + c]);
    }
    var sum = 0.0;
    for (var c = 0u; c < k; c++) {
      sum += exp(z[base + c] - top);
    }
    for (var c = 0u; c < k; c++) {
      delta_or_h[base + c] = exp(z[base + c] - top) / sum;
    }
  }
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = flat_index(gid, groups);
  if (i >= params.rows) {
    return;
  }
  let k = params.classes;
  let base = gid.z * params.batch_rows + i * k;
  if (PREDICT) {
    predict_row(base, k);
    return;
  }
  let index = params.row_offset + i; // in the batch
  if (index >= step.count) {
    for (var c = 0u; c < k; c++) {
      delta_or_h[base + c] = 0.0;
    }
    return;
  }
  let label_y = y[params.y_offset + (gid.z / params.y_repeat) * params.batch_y + i];
  let scale = 1.0 / f32(step.count);
  var cost = 0.0;
  var right = 0.0;
  if (HEAD == HEAD_LINEAR) {
    let d = z[base] - label_y;
    delta_or_h[base] = d * scale;
    cost = 0.5 * d * d;
  } else if (HEAD == HEAD_LOGISTIC) {
    let s = z[base];
    delta_or_h[base] = (sigmoid(s) - label_y) * scale;
    cost = cross_entropy(s, label_y);
    right = select(0.0, 1.0, (s >= 0.0) == (label_y >= 0.5));
  } else if (HEAD == HEAD_SIGMOID) {
    let label = min(u32(label_y), k - 1u);
    var best = 0u;
    for (var c = 0u; c < k; c++) {
      let s = z[base + c];
      let y_c = select(0.0, 1.0, c == label);
      delta_or_h[base + c] = (sigmoid(s) - y_c) * scale;
      cost += cross_entropy(s, y_c);
      if (s > z[base + best]) {
        best = c;
      }
    }
    right = select(0.0, 1.0, best == label);
  } else {
    let label = min(u32(label_y), k - 1u);
    var top = z[base];
    var best = 0u;
    for (var c = 1u; c < k; c++) {
      if (z[base + c] > top) {
        top = z[base + c];
        best = c;
      }
    }
    // Σⱼ e^(zⱼ − max z) = 1 + rest, the 1 being the top class's own term: log Σ = log1p(rest),
    // exact even when every other class is far below (rest tiny).
    var rest = 0.0;
    for (var c = 0u; c < k; c++) {
      if (c != best) {
        rest += exp_neg(top - z[base + c]);
      }
    }
    let sum = 1.0 + rest;
    for (var c = 0u; c < k; c++) {
      let phi = exp(z[base + c] - top) / sum;
      delta_or_h[base + c] = (phi - select(0.0, 1.0, c == label)) * scale;
    }
    cost = log1p(rest) + (top - z[base + label]);
    right = select(0.0, 1.0, best == label);
  }
  let position = gid.z * params.batch_examples + step.position + index;
  loss[position] = cost;
  correct[position] = right;
}
