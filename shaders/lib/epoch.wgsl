// Library: the end of one model's epoch, shared by epoch_end.wgsl (a fit alone: one model's
// buffers) and epoch_end_stacked.wgsl (the models of a group, src/train/group.ts: a workgroup
// each, their numbers side by side in the group's buffers) — the same function and the same
// bindings 0–6, so a model trained in a group reports and keeps bit for bit what it does alone.
// Each kernel declares its own settings (binding 7 on) and the step record, and places this
// workgroup's model with set_model() (a fit alone: model_alone()).
//
//     J = (1/m) Σᵢ cost⁽ⁱ⁾ + (λ/2m) Σⱼ decayⱼ θⱼ²      accuracy = (1/m) Σᵢ correct⁽ⁱ⁾
//
// Divergence ("overshooting"): J not finite (at once), or J above (1 + tolerance)·(best J so
// far) — and, with above_first, above the fit's first epoch's J too — for `patience` epochs in a
// row, sets the state's STATE_STOPPED = STOP_DIVERGED; when J is a new best, θ is copied to
// θ_good. EVALUATE (a validation pass, or a model's cost()): J and accuracy only, and with
// early_patience the early-stopping watch, keeping the best validation epoch's θ in θ_good.
// Sums use lib/reduce.wgsl's fixed-order tree. Links lib/reduce.wgsl, lib/state.wgsl, lib/step.wgsl.

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

// Where the model of this workgroup keeps its numbers in the bound buffers: its costs from
// `at_costs`, its history from `at_history`, its state from `at_state`; its Θ (and θ_good, laid
// out alike) as src/train/program.ts stackedRanges stacks `models` models — the first `first`
// parameters of every model side by side, then the rest of every model — model `model`'s.
struct ModelPlace {
  models: u32,
  first: u32,
  rest: u32,
  model: u32,
  at_costs: u32,
  at_history: u32,
  at_state: u32,
}

override EVALUATE: bool = false; // J and accuracy of a pass only (validation, cost()), no guard

// | group | binding | name       | access     | shape (a fit alone; each kernel's table for a group's) |
// |-------|---------|------------|------------|--------------------------------------------------------|
// | 0     | 0       | loss       | read       | m                                                      |
// | 0     | 1       | correct    | read       | m                                                      |
// | 0     | 2       | theta      | read       | P                                                      |
// | 0     | 3       | decay      | read       | P                                                      |
// | 0     | 4       | theta_good | read_write | P                                                      |
// | 0     | 5       | history    | read_write | stride × epochs of this fit                            |
// | 0     | 6       | state      | read_write | STATE_SIZE (lib/state)                                 |
@group(0) @binding(0) var<storage, read> loss: array<f32>;
@group(0) @binding(1) var<storage, read> correct: array<f32>;
@group(0) @binding(2) var<storage, read> theta: array<f32>;
@group(0) @binding(3) var<storage, read> decay: array<f32>;
@group(0) @binding(4) var<storage, read_write> theta_good: array<f32>;
@group(0) @binding(5) var<storage, read_write> history: array<f32>;
@group(0) @binding(6) var<storage, read_write> state: array<f32>;

var<private> place: ModelPlace;
var<workgroup> keep: u32;

// A fit alone: its own buffers, from 0.
fn model_alone(parameters: u32) {
  place = ModelPlace(1u, 0u, parameters, 0u, 0u, 0u, 0u);
}

fn set_model(p: ModelPlace) {
  place = p;
}

// Where parameter j of the model is in theta and theta_good.
fn theta_at(j: u32) -> u32 {
  if (j < place.first) {
    return place.model * place.first + j;
  }
  return place.models * place.first + place.model * place.rest + (j - place.first);
}

// Index i of the model's state.
fn state_at(i: u32) -> u32 {
  return place.at_state + i;
}

// f32 finiteness from the bits: shader compilers may fold x != x and x == inf away.
fn is_finite(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7f800000u) != 0x7f800000u;
}

// The divergence guard on the training cost J of this epoch: stops training (STOP_DIVERGED) on
// a non-finite J, or after `patience` rises in a row; 1 when J is a new best (keep θ).
fn guard_divergence(p: EpochParams, j_total: f32) -> u32 {
  let best = state[state_at(STATE_BEST)];
  if (step.epoch == p.first_epoch) {
    state[state_at(STATE_FIRST)] = j_total;
  }
  let above_first = p.above_first == 0u || j_total > state[state_at(STATE_FIRST)];
  if (!is_finite(j_total)) {
    state[state_at(STATE_STOPPED)] = f32(STOP_DIVERGED);
    state[state_at(STATE_STOP_EPOCH)] = f32(step.epoch);
    return 0u;
  }
  if (j_total > best * (1.0 + p.tolerance) && is_finite(best) && above_first) {
    state[state_at(STATE_RISES)] += 1.0;
  } else {
    state[state_at(STATE_RISES)] = 0.0;
  }
  if (state[state_at(STATE_RISES)] >= f32(p.patience)) {
    state[state_at(STATE_STOPPED)] = f32(STOP_DIVERGED);
    state[state_at(STATE_STOP_EPOCH)] = f32(step.epoch);
    return 0u;
  }
  if (!(j_total >= best)) {
    state[state_at(STATE_BEST)] = j_total;
    state[state_at(STATE_BEST_EPOCH)] = f32(step.epoch);
    return 1u;
  }
  return 0u;
}

// Early stopping on the validation cost J of this epoch (EVALUATE with early_patience > 0):
// a fall of more than min_delta below the best is a new best (keep θ, into this dispatch's
// theta_good); `early_patience` epochs in a row without one stop training (STOP_EARLY).
fn watch_validation(p: EpochParams, j_total: f32) -> u32 {
  if (state[state_at(STATE_STOPPED)] != 0.0) {
    return 0u;
  }
  if (is_finite(j_total) && j_total < state[state_at(STATE_VAL_BEST)] - p.min_delta) {
    state[state_at(STATE_VAL_BEST)] = j_total;
    state[state_at(STATE_VAL_BEST_EPOCH)] = f32(step.epoch);
    state[state_at(STATE_VAL_WAIT)] = 0.0;
    return 1u;
  }
  state[state_at(STATE_VAL_WAIT)] += 1.0;
  if (state[state_at(STATE_VAL_WAIT)] >= f32(p.early_patience)) {
    state[state_at(STATE_STOPPED)] = f32(STOP_EARLY);
    state[state_at(STATE_STOP_EPOCH)] = f32(step.epoch);
  }
  return 0u;
}

// The epoch's end for the placed model, by every invocation of the workgroup (lid: its index).
// Writes the history slot, the state and θ_good as described above.
fn end_epoch(lid: u32, p: EpochParams) {
  var cost = 0.0;
  var right = 0.0;
  for (var i = lid; i < p.examples; i += REDUCE_SIZE) {
    cost += loss[place.at_costs + i];
    right += correct[place.at_costs + i];
  }
  var penalty = 0.0;
  for (var j = lid; j < p.count; j += REDUCE_SIZE) {
    let t = theta[theta_at(j)];
    penalty += decay[j] * t * t;
  }
  let m = f32(p.examples);
  let totals = workgroup_sum(lid, vec4f(cost, right, penalty, 0.0));
  let j_total = totals.x / m + p.lambda_over_2m * totals.z;
  let accuracy = totals.y / m;
  let slot = place.at_history + p.history_stride * (step.epoch - p.first_epoch) + p.history_offset;
  if (lid == 0u) {
    keep = 0u;
    if (EVALUATE) {
      history[slot] = j_total;
      history[slot + 1u] = accuracy;
      if (p.early_patience != 0u) {
        keep = watch_validation(p, j_total);
      }
    } else if (state[state_at(STATE_STOPPED)] == 0.0) {
      history[slot] = j_total;
      history[slot + 1u] = accuracy;
      keep = guard_divergence(p, j_total);
    }
  }
  if (workgroupUniformLoad(&keep) == 1u) {
    for (var j = lid; j < p.count; j += REDUCE_SIZE) {
      theta_good[theta_at(j)] = theta[theta_at(j)];
    }
  }
}
