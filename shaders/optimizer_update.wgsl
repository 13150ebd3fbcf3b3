// One optimiser step on every parameter θⱼ, from the mean gradient of the batch that
// output_delta.wgsl + matmul.wgsl left in `grad`, plus L2 regularisation on the weights
// (decayⱼ = 1) but not on the bias terms θ₀ (decayⱼ = 0):
//
//     gⱼ = ∂J/∂θⱼ = gradⱼ + (λ/m) · decayⱼ · θⱼ
//
//   METHOD_SGD, gradient descent:  θⱼ := θⱼ − α gⱼ
//   METHOD_MOMENTUM:               vⱼ := β₁ vⱼ + gⱼ;  θⱼ := θⱼ − α vⱼ
//   METHOD_ADAM:                   mⱼ := β₁ mⱼ + (1 − β₁) gⱼ;  vⱼ := β₂ vⱼ + (1 − β₂) gⱼ²
//                                  θⱼ := θⱼ − α m̂ⱼ / (√v̂ⱼ + ε),  m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ)
//   METHOD_GRADIENT, gradient only: gradⱼ := gⱼ (θ untouched: for inspecting the gradient)
//
// α is the step's own (StepRecord.rate), so a learning-rate schedule needs no other input.
// Nothing moves once epoch_end.wgsl has stopped training (divergence, early stopping: state[STATE_STOPPED] ≠ 0).
// Overwrites θ, the moments, and (METHOD_GRADIENT) grad. Links lib/step.wgsl and lib/state.wgsl.
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

const METHOD_SGD: u32 = 0u;
const METHOD_MOMENTUM: u32 = 1u;
const METHOD_ADAM: u32 = 2u;
const METHOD_GRADIENT: u32 = 3u;
override METHOD: u32 = METHOD_SGD; // one of the four above (src/kernels/optimizer_update.ts reads them)
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
  for (var j = first; j < min(first + PER_INVOCATION, params.count); j++) {
    update(j, stopped);
  }
}

// One parameter's step.
fn update(j: u32, stopped: bool) {
  let g = grad[j] + params.lambda_over_m * decay[j] * theta[j];
  if (METHOD == METHOD_GRADIENT) {
    grad[j] = g;
    return;
  }
  if (stopped) {
    return;
  }
  if (METHOD == METHOD_SGD) {
    theta[j] -= step.rate * g;
  } else if (METHOD == METHOD_MOMENTUM) {
    let v = params.beta1 * moments[j] + g;
    moments[j] = v;
    theta[j] -= step.rate * v;
  } else {
    let m = params.beta1 * moments[j] + (1.0 - params.beta1) * g;
    let v = params.beta2 * moments[params.count + j] + (1.0 - params.beta2) * g * g;
    moments[j] = m;
    moments[params.count + j] = v;
    let t = f32(step.t);
    let m_hat = m / (1.0 - pow(params.beta1, t));
    let v_hat = v / (1.0 - pow(params.beta2, t));
    theta[j] -= step.rate * m_hat / (sqrt(v_hat) + params.epsilon);
  }
}
