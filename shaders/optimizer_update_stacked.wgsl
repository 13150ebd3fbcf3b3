// One optimiser step on the Θ of many models stacked in one buffer — models trained together
// (src/train/group.ts), each with its own optimiser settings, α and state — in one dispatch, where
// one dispatch per model (and copies of each model's Θ and gradient every step) cost more than the
// arithmetic. Each parameter's step is lib/optimizer.wgsl's update(), the function
// optimizer_update.wgsl applies to a model alone, so each model moves bit for bit as alone.
//
// The stacking (src/train/program.ts stackedRanges): the first `first` parameters of every model
// side by side (model i's from i·first), then the other `rest` of every model (model i's from
// models·first + i·rest). Element e of theta, grad and moments is one parameter j of one model i;
// Adam's v is at models·P + e; decay is one model's (P, the same for every model). A model whose
// training state (STATE_SIZE floats a model, as epoch_end_stacked.wgsl writes them) says it has
// stopped moves no more.
// A dispatch updates the models whose method is its METHOD (one per method among the models).
// Links lib/elementwise.wgsl, lib/step.wgsl, lib/state.wgsl and lib/optimizer.wgsl.
//
// | group | binding | name     | access     | shape                                            |
// |-------|---------|----------|------------|--------------------------------------------------|
// | 0     | 0       | theta    | read_write | models × P, stacked                              |
// | 0     | 1       | grad     | read_write | models × P, stacked like theta                   |
// | 0     | 2       | decay    | read       | P (1: regularised weight, 0: bias)               |
// | 0     | 3       | moments  | read_write | 2 × models × P (momentum: the first half)        |
// | 0     | 4       | settings | read       | ModelSettings per model                          |
// | 0     | 5       | rates    | read       | ModelStep per step of the submit and model       |
// | 0     | 6       | params   | uniform    | StackedParams                                    |
// | 0     | 7       | state    | read       | models × STATE_SIZE (lib/state)                  |
// | 1     | 0       | step     | uniform    | StepRecord (dynamic): which step of the submit   |
//
// Dispatch: flat, models × (ceil(first / PER_INVOCATION) + ceil(rest / PER_INVOCATION)) invocations.

// One model's optimiser settings (lib/optimizer.wgsl's Hyper) and method.
struct ModelSettings {
  lambda_over_m: f32,
  beta1: f32,
  beta2: f32,
  epsilon: f32,
  method: u32,  // the model's METHOD: a dispatch of another method leaves it alone
  unused0: u32,
  unused1: u32,
  unused2: u32,
}

// One model's α and optimiser step t at one step of the submit.
struct ModelStep {
  rate: f32,
  t: u32,
}

struct StackedParams {
  models: u32,  // models stacked
  first: u32,   // parameters of each model in the side-by-side block
  rest: u32,    // parameters of each model after it
  first_t: u32, // the step record's t at the submit's first step: row (t − first_t) of rates
}

override PER_INVOCATION: u32 = 8u; // parameters each invocation updates

@group(0) @binding(0) var<storage, read_write> theta: array<f32>;
@group(0) @binding(1) var<storage, read_write> grad: array<f32>;
@group(0) @binding(2) var<storage, read> decay: array<f32>;
@group(0) @binding(3) var<storage, read_write> moments: array<f32>;
@group(0) @binding(4) var<storage, read> settings: array<ModelSettings>;
@group(0) @binding(5) var<storage, read> rates: array<ModelStep>;
@group(0) @binding(6) var<uniform> params: StackedParams;
@group(0) @binding(7) var<storage, read> state: array<f32>;
@group(1) @binding(0) var<uniform> step: StepRecord;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  // Each invocation steps up to PER_INVOCATION neighbouring parameters of one model: its first
  // block's (ceil(first / PER_INVOCATION) invocations a model), then its rest's. Its settings and
  // α are read once (on a CPU adapter every read is a gather, and per parameter they were a third
  // of the update's time).
  let in_first = (params.first + PER_INVOCATION - 1u) / PER_INVOCATION;
  let in_rest = (params.rest + PER_INVOCATION - 1u) / PER_INVOCATION;
  let i = flat_index(gid, groups);
  var model: u32;
  var j0: u32;    // the model's parameter of this invocation's first element
  var start: u32;   // where the model's block starts in the stack
  var block_j: u32; // the model's parameter there: 0 (the first block) or first (the rest)
  var size: u32;    // the block's parameters per model
  if (i < params.models * in_first) {
    model = i / in_first;
    j0 = (i - model * in_first) * PER_INVOCATION;
    start = model * params.first;
    block_j = 0u;
    size = params.first;
  } else {
    let r = i - params.models * in_first;
    model = r / in_rest;
    if (model >= params.models) {
      return;
    }
    j0 = params.first + (r - model * in_rest) * PER_INVOCATION;
    start = params.models * params.first + model * params.rest;
    block_j = params.first;
    size = params.rest;
  }
  let s = settings[model];
  if (s.method != METHOD) {
    return;
  }
  let total = params.models * (params.first + params.rest);
  let r = rates[(step.t - params.first_t) * params.models + model];
  let h = Hyper(s.lambda_over_m, s.beta1, s.beta2, s.epsilon);
  let stopped = state[model * STATE_SIZE + STATE_STOPPED] != 0.0;
  let end = min(j0 + PER_INVOCATION, block_j + size);
  for (var j = j0; j < end; j++) {
    update(j, start + j - block_j, total, h, r.rate, r.t, stopped);
  }
}
