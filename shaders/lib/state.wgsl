// Library (no bindings, no entry point): the layout of the training state buffer, STATE_SIZE
// floats that epoch_end.wgsl writes (the divergence guard) and optimizer_update.wgsl reads.
// The scheduler reads these constants from here (src/kernels/epoch_end.ts), never restates them.

const STATE_STOPPED: u32 = 0u;    // STOP_DIVERGED or STOP_EARLY once training stopped: updates move nothing
const STATE_BEST: u32 = 1u;       // the best J so far (starts at +∞)
const STATE_RISES: u32 = 2u;      // epochs in a row with J above (1 + tolerance)·best
const STATE_STOP_EPOCH: u32 = 3u; // the epoch that stopped training (−1 while none)
const STATE_BEST_EPOCH: u32 = 4u; // the epoch of the best J, whose θ θ_good holds (−1 while none)
const STATE_FIRST: u32 = 5u;      // J of the fit's first epoch (what a noisy run's rise must also pass)
const STATE_VAL_BEST: u32 = 6u;   // early stopping: the best validation J (starts at +∞)
const STATE_VAL_BEST_EPOCH: u32 = 7u; // its epoch (−1 while none)
const STATE_VAL_WAIT: u32 = 8u;   // epochs since it was last beaten
const STATE_SIZE: u32 = 12u;      // floats in the buffer (the rest unused)

const STOP_DIVERGED: u32 = 1u;    // STATE_STOPPED: the divergence guard stopped training
const STOP_EARLY: u32 = 2u;       // STATE_STOPPED: early stopping on the validation cost
