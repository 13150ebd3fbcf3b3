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
// Overwrites history[stride·(e − first_epoch) + offset], [+1], the state and θ_good. The work
// is lib/epoch.wgsl's end_epoch(), the one epoch_end_stacked.wgsl runs for each model of a group,
// and so are bindings 0–6 and EVALUATE. Links lib/reduce.wgsl, lib/state.wgsl, lib/step.wgsl and
// lib/epoch.wgsl.
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

@group(0) @binding(7) var<uniform> params: EpochParams;
@group(1) @binding(0) var<uniform> step: StepRecord;

@compute @workgroup_size(REDUCE_SIZE)
fn main(@builtin(local_invocation_index) lid: u32) {
  model_alone(params.count);
  end_epoch(lid, params);
}
