// Library (no bindings, no entry point): the record that tells a training step's kernels which
// step they are in. The scheduler (src/train/trainer.ts) writes one record per step into a
// uniform buffer before each submit and binds it at a dynamic offset (group 1, binding 0), so
// every step reuses the same pipelines and bind groups. A learning-rate schedule costs nothing
// more: each record carries its step's α.

struct StepRecord {
  epoch: u32,    // epoch number e, counted over the model's life: keys the shuffle of epoch e
  position: u32, // index, in epoch e's order, of the batch's first example
  count: u32,    // examples in this batch; the last batch of an epoch may be short
  t: u32,        // optimiser step number, from 1 (Adam's bias correction)
  rate: f32,     // α of this step: options.learningRate, or its schedule's value for this epoch
}
