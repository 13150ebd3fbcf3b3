// One optimiser step on every parameter θⱼ of one model, from the mean gradient of the batch
// that output_delta.wgsl + matmul.wgsl left in `grad`, plus L2 regularisation on the weights
// (decayⱼ = 1) but not on the bias terms θ₀ (decayⱼ = 0): gradient descent, momentum or Adam, as
// lib/optimizer.wgsl's update() writes them (the formulas are there).
//
// α is the step's own (StepRecord.rate), so a learning-rate schedule needs no other input.
// Nothing moves once epoch_end.wgsl has stopped training (divergence, early stopping: state[STATE_STOPPED] ≠ 0).
// Overwrites θ, the moments, and (METHOD_GRADIENT) grad. Links lib/optimizer.wgsl, lib/step.wgsl
// and lib/state.wgsl.
//
// | group | binding | name    | access     | shape                                 |
// |-------|---------|---------|------------|---------------------------------------|
// | 0     | 0       | theta   | read_write | P parameters                          |
// | 0     | 1       | grad    | read_write | P (mean gradient of the batch)        |
// | 0     | 2       | decay   | read       | P (1: regularised weight, 0: bias)    |
// | 0     | 3       | moments | read_write | 2P (momentum: v; Adam: m then v)      |
// | 0     | 4       | state   | read       | training state (epoch_end.wgsl)       |
// | 0     | 5       | params  | uniform    | UpdateParams                          |
// | 1     | 0       | step    | uniform    | StepRecord (dynamic)                  |
//
// Dispatch: one invocation per PER_INVOCATION parameters, flat.

struct UpdateParams {
  count: u32,          // P
  lambda_over_m: f32,  // λ/m
  beta1: f32,          // β₁: momentum, or Adam's first-moment decay
  beta2: f32,          // β₂: Adam's second-moment decay
  epsilon: f32,        // Adam's ε
}
override PER_INVOCATION: u32 = 8u; // parameters each invocation updates

@group(0) @binding(0) var<storage, read_write> theta: array<f32>;
@group(0) @binding(1) var<storage, read_write> grad: array<f32>;
@group(0) @binding(2) var<storage, read> decay: array<f32>;
@group(0) @binding(3) var<storage, read_write> moments: array<f32>;
@group(0) @binding(4) var<storage, read> state: array<f32>;
@group(0) @binding(5) var<uniform> params: UpdateParams;
@group(1) @binding(0) var<uniform> step: StepRecord;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  // PER_INVOCATION neighbouring parameters each: on a CPU adapter an invocation's fixed cost is
  // most of an update's (SwiftShader: ~40 ns), so fewer invocations is what speeds it; each
  // parameter's arithmetic is the same.
  let first = flat_index(gid, groups) * PER_INVOCATION;
  if (first >= params.count) {
    return;
  }
  let stopped = state[STATE_STOPPED] != 0.0;
  let h = Hyper(params.lambda_over_m, params.beta1, params.beta2, params.epsilon);
  for (var j = first; j < min(first + PER_INVOCATION, params.count); j++) {
    update(j, j, params.count, h, step.rate, step.t, stopped);
  }
}
