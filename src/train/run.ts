// A training run as the caller holds it: awaitable for its result, and paused, resumed or
// cancelled between command buffers.

import type { EpochReport } from './options.js';

export interface TrainingResult {
  /**
   * 'completed' after every epoch; 'cancelled' when stopped by the caller (θ is that of the last
   * epoch reported); 'early-stopped' when options.earlyStopping ended it (θ of the best
   * validation epoch unless restoreBest is false).
   */
  status: 'completed' | 'cancelled' | 'early-stopped';
  /** With early stopping that stopped the fit: the epoch it stopped at and the best validation epoch (of this fit). */
  earlyStopping?: { stoppedAt: number; bestEpoch: number };
  /**
   * With options.earlyStopping (restoreBest not false) on a fit that ran every epoch: the best
   * validation epoch (of this fit), whose parameters the model ends with — as Keras 3's
   * EarlyStopping(restore_best_weights=True) restores them at the end of training too.
   */
  bestEpoch?: number;
  /** Epochs run. */
  epochs: number;
  history: EpochReport[];
  /** Whether the optimiser went on from the model's last fit (options.continueOptimizer) rather than starting afresh. */
  optimizerContinued: boolean;
  /** Times the GPU device was lost and training went on from a checkpoint on a new one. */
  recoveries: number;
  /**
   * Epochs reported before a loss and trained again from the checkpoint (at most
   * options.checkpointEvery each time, plus the work the GPU had queued when it was lost).
   */
  repeatedEpochs: number;
}

type RunState = 'running' | 'paused' | 'completed' | 'cancelled' | 'early-stopped' | 'failed';

/**
 * A training run in progress: a Promise of its result (`await run`, `run.then`, `run.catch`,
 * `run.finally`, `Promise.all([run])` all work), which can also be paused, resumed and cancelled
 * — `pause()`, `resume()` and `cancel()` take effect between command buffers, at a step boundary.
 * The promises that `then`, `catch` and `finally` return are plain Promises.
 */
export class TrainingRun extends Promise<TrainingResult> {
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  private status: RunState = 'running';
  private wake: (() => void) | undefined;

  constructor(start: (run: TrainingRun) => Promise<TrainingResult>) {
    let settle!: { resolve: (r: TrainingResult) => void; reject: (e: unknown) => void };
    super((resolve, reject) => (settle = { resolve, reject }));
    start(this).then(
      (r) => {
        this.status = r.status;
        settle.resolve(r);
      },
      (e) => {
        this.status = 'failed';
        settle.reject(e);
      },
    );
  }

  /** The run itself: it is the promise of its result (kept for code written against `run.done`). */
  get done(): Promise<TrainingResult> {
    return this;
  }

  get state(): RunState {
    return this.status;
  }

  /** Whether the run is still training or paused (not yet cancelled or settled). */
  get active(): boolean {
    return this.status === 'running' || this.status === 'paused';
  }

  pause(): void {
    if (this.status === 'running') this.status = 'paused';
  }

  resume(): void {
    if (this.status === 'paused') this.status = 'running';
    this.wake?.();
  }

  /**
   * Stops the run at the next step boundary; it then resolves with status 'cancelled'. The model
   * takes its next fit() at once, which starts when this run has wound down.
   */
  cancel(): void {
    if (this.active) this.status = 'cancelled';
    this.wake?.();
  }

  /** For the scheduler: waits while paused; false once cancelled. */
  async proceed(): Promise<boolean> {
    while (this.status === 'paused') await new Promise<void>((r) => (this.wake = r));
    this.wake = undefined;
    return this.status === 'running';
  }
}
