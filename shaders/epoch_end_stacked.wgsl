// The epoch ends of the models trained as one (src/train/group.ts), one workgroup per model in
// one dispatch — where one dispatch per model (and copies of its Θ, costs and state around it)
// cost a group of small full-batch models most of its time. Each workgroup runs lib/epoch.wgsl's
// end_epoch(), the function epoch_end.wgsl runs for a model alone, on its model's numbers in the
// group's buffers: so each model's J, accuracy, state and θ_good are bit for bit its fit's.
//
// The stacking: the models' costs and right/wrong `examples` floats a model (model i's from
// i·examples: src/train/program.ts Stacking); their Θ as stackedRanges lays it out, θ_good alike;
// their histories `history_floats` a model; their states STATE_SIZE floats a model — which
// optimizer_update_stacked.wgsl reads to leave a stopped model alone. Each model's EpochParams
// (its λ, tolerance, patience, early stopping) is its own. Bindings 0–6 and EVALUATE are
// lib/epoch.wgsl's. Links lib/reduce.wgsl, lib/state.wgsl, lib/step.wgsl and lib/epoch.wgsl.
//
// | group | binding | name       | access     | shape                                   |
// |-------|---------|------------|------------|-----------------------------------------|
// | 0     | 0       | loss       | read       | models × m                              |
// | 0     | 1       | correct    | read       | models × m                              |
// | 0     | 2       | theta      | read       | models × P, stacked                     |
// | 0     | 3       | decay      | read       | P (one model's)                         |
// | 0     | 4       | theta_good | read_write | models × P, stacked like theta          |
// | 0     | 5       | history    | read_write | models × history_floats                 |
// | 0     | 6       | state      | read_write | models × STATE_SIZE                     |
// | 0     | 7       | settings   | read       | EpochParams per model                   |
// | 0     | 8       | stack      | uniform    | StackParams                             |
// | 1     | 0       | step       | uniform    | StepRecord (dynamic)                    |
//
// Dispatch: (models, 1, 1), or folded into y past the device's limit.

struct StackParams {
  models: u32,          // models stacked
  first: u32,           // parameters of each model in the side-by-side block of Θ
  rest: u32,            // parameters of each model after it
  history_floats: u32,  // floats of each model's history
}

@group(0) @binding(7) var<storage, read> settings: array<EpochParams>;
@group(0) @binding(8) var<uniform> stack: StackParams;
@group(1) @binding(0) var<uniform> step: StepRecord;

@compute @workgroup_size(REDUCE_SIZE)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let model = wid.x + wid.y * groups.x;
  if (model >= stack.models) {
    return;
  }
  let p = settings[model];
  set_model(ModelPlace(stack.models, stack.first, stack.rest, model, model * p.examples, model * stack.history_floats, model * STATE_SIZE));
  end_epoch(lid, p);
}
