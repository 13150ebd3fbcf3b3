// The end of an epoch: its cost and accuracy, written to the history on the GPU, and the
// divergence guard. Runs once per epoch, before the epoch's last update, in one workgroup:
//
//     J = (1/m) Σᵢ cost⁽ⁱ⁾ + (λ/2m) Σⱼ decayⱼ θⱼ²      accuracy = (1/m) Σᵢ correct⁽ⁱ⁾
//
// cost⁽ⁱ⁾ is each example's cost as output_delta.wgsl wrote it when its batch was seen
// (with full-batch descent: all at the current θ, so J is exactly J(θ)).
// Divergence ("overshooting"): J not finite (at once), or J above (1 + tolerance)·(best J so
// far) — and, with ABOVE_FIRST, above the fit's first epoch's J too — for `patience` epochs in a
// row, sets state[STATE_STOPPED] = STOP_DIVERGED. Full-batch gradient descent uses a tight tolerance and no
// ABOVE_FIRST (its cost must fall every epoch); noisy runs (mini-batches, momentum, Adam) a
// loose one with ABOVE_FIRST, so their wobble near a small best never counts; optimizer_update.wgsl then moves nothing
// and the host restores θ_good, the θ of the best epoch. When J is a new best, θ is copied
// to θ_good. Sums use lib/reduce.wgsl's fixed-order tree (deterministic).
// EVALUATE mode (a model's cost() on any data, one pass per step record, or the validation
// set after each epoch's last update) writes J and accuracy to the history; with early_patience
// it also watches the validation J for early stopping, keeping the best epoch's θ in the
// theta_good it is given (a buffer of its own, not the divergence guard's).
// Overwrites history[stride·(e − first_epoch) + offset], [+1], the state and θ_good. Links
// lib/reduce.wgsl, lib/state.wgsl and lib/step.wgsl.
//
// state: as lib/state.wgsl lays it out (stopped, best J, rises in a row, the epoch that
// stopped, the epoch of the best J).
//
// | group | binding | name       | access     | shape                   |
// |-------|---------|------------|------------|-------------------------|
// | 0     | 0       | loss       | read       | m                       |
// | 0     | 1       | correct    | read       | m                       |
// | 0     | 2       | theta      | read       | P                       |
// | 0     | 3       | decay      | read       | P                       |
// | 0     | 4       | theta_good | read_write | P                       |
// | 0     | 5       | history    | read_write | stride × epochs of this fit |
// | 0     | 6       | state      | read_write | STATE_SIZE (lib/state)  |
// | 0     | 7       | params     | uniform    | EpochParams             |
// | 1     | 0       | step       | uniform    | StepRecord (dynamic)    |
//
// Dispatch: (1, 1, 1).

struct EpochParams {
  examples: u32,        // m
  count: u32,           // P
  lambda_over_2m: f32,  // λ/(2m)
  tolerance: f32,       // relative rise over the best J that counts as growing
  patience: u32,        // epochs in a row of growth that stop training
  first_epoch: u32,     // epoch number of this fit's first epoch (history index 0)
  history_stride: u32,  // floats per epoch in the history (training: 4, cost passes: 2)
  history_offset: u32,  // where this pass's [J, accuracy] sit in an epoch's slot (validation: 2)
  above_first: u32,     // 1: a rise counts only when J is also above the first epoch's J
  early_patience: u32,  // EVALUATE: epochs without a new best validation J that stop training (0: off)
  min_delta: f32,       // EVALUATE: how far below the best a validation J must fall to count
}

override EVALUATE: bool = false;

@group(0) @binding(0) var<storage, read> loss: array<f32>;
@group(0) @binding(1) var<storage, read> correct: array<f32>;
@group(0) @binding(2) var<storage, read> theta: array<f32>;
@group(0) @binding(3) var<storage, read> decay: array<f32>;
@group(0) @binding(4) var<storage, read_write> theta_good: array<f32>;
@group(0) @binding(5) var<storage, read_write> history: array<f32>;
@group(0) @binding(6) var<storage, read_write> state: array<f32>;
@group(0) @binding(7) var<uniform> params: EpochParams;
@group(1) @binding(0) var<uniform> step: StepRecord;

var<workgroup> keep: u32;

// f32 finiteness from the bits: shader compilers may fold x != x and x == inf away.
fn is_finite(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7f800000u) != 0x7f800000u;
}

// The divergence guard on the training cost J of this epoch: stops training (STOP_DIVERGED) on
// a non-finite J, or after `patience` rises in a row; 1 when J is a new best (keep θ).
fn guard_divergence(j_total: f32) -> u32 {
  let best = state[STATE_BEST];
  if (step.epoch == params.first_epoch) {
    state[STATE_FIRST] = j_total;
  }
  let above_first = params.above_first == 0u || j_total > state[STATE_FIRST];
  if (!is_finite(j_total)) {
    state[STATE_STOPPED] = f32(STOP_DIVERGED);
    state[STATE_STOP_EPOCH] = f32(step.epoch);
    return 0u;
  }
  if (j_total > best * (1.0 + params.tolerance) && is_finite(best) && above_first) {
    state[STATE_RISES] += 1.0;
  } else {
    state[STATE_RISES] = 0.0;
  }
  if (state[STATE_RISES] >= f32(params.patience)) {
    state[STATE_STOPPED] = f32(STOP_DIVERGED);
    state[STATE_STOP_EPOCH] = f32(step.epoch);
    return 0u;
  }
  if (!(j_total >= best)) {
    state[STATE_BEST] = j_total;
    state[STATE_BEST_EPOCH] = f32(step.epoch);
    return 1u;
  }
  return 0u;
}

// Early stopping on the validation cost J of this epoch (EVALUATE with early_patience > 0):
// a fall of more than min_delta below the best is a new best (keep θ, into this dispatch's
// theta_good); `early_patience` epochs in a row without one stop training (STOP_EARLY).
fn watch_validation(j_total: f32) -> u32 {
  if (state[STATE_STOPPED] != 0.0) {
    return 0u;
  }
  if (is_finite(j_total) && j_total < state[STATE_VAL_BEST] - params.min_delta) {
    state[STATE_VAL_BEST] = j_total;
    state[STATE_VAL_BEST_EPOCH] = f32(step.epoch);
    state[STATE_VAL_WAIT] = 0.0;
    return 1u;
  }
  state[STATE_VAL_WAIT] += 1.0;
  if (state[STATE_VAL_WAIT] >= f32(params.early_patience)) {
    state[STATE_STOPPED] = f32(STOP_EARLY);
    state[STATE_STOP_EPOCH] = f32(step.epoch);
  }
  return 0u;
}

@compute @workgroup_size(REDUCE_SIZE)
fn main(@builtin(local_invocation_index) lid: u32) {
  var cost = 0.0;
  var right = 0.0;
  for (var i = lid; i < params.examples; i += REDUCE_SIZE) {
    cost += loss[i];
    right += correct[i];
  }
  var penalty = 0.0;
  for (var j = lid; j < params.count; j += REDUCE_SIZE) {
    penalty += decay[j] * theta[j] * theta[j];
  }
  let m = f32(params.examples);
  let totals = workgroup_sum(lid, vec4f(cost, right, penalty, 0.0));
  let j_total = totals.x / m + params.lambda_over_2m * totals.z;
  let accuracy = totals.y / m;
  let slot = params.history_stride * (step.epoch - params.first_epoch) + params.history_offset;
  if (lid == 0u) {
    keep = 0u;
    if (EVALUATE) {
      history[slot] = j_total;
      history[slot + 1u] = accuracy;
      if (params.early_patience != 0u) {
        keep = watch_validation(j_total);
      }
    } else if (state[STATE_STOPPED] == 0.0) {
      history[slot] = j_total;
      history[slot + 1u] = accuracy;
      keep = guard_divergence(j_total);
    }
  }
  if (workgroupUniformLoad(&keep) == 1u) {
    for (var j = lid; j < params.count; j += REDUCE_SIZE) {
      theta_good[j] = theta[j];
    }
  }
}
