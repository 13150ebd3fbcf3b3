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
 * A training run in progress. Await it (or `done`) for the result; `pause()`, `resume()` and
 * `cancel()` take effect between command buffers, at a step boundary.
 */
export class TrainingRun implements PromiseLike<TrainingResult> {
  readonly done: Promise<TrainingResult>;
  private status: RunState = 'running';
  private wake: (() => void) | undefined;

  constructor(start: (run: TrainingRun) => Promise<TrainingResult>) {
    this.done = start(this).then(
      (r) => {
        this.status = r.status;
        return r;
      },
      (e) => {
        this.status = 'failed';
        throw e;
      },
    );
  }

  get state(): RunState {
    return this.status;
  }

  pause(): void {
    if (this.status === 'running') this.status = 'paused';
  }

  resume(): void {
    if (this.status === 'paused') this.status = 'running';
    this.wake?.();
  }

  cancel(): void {
    if (this.status === 'running' || this.status === 'paused') this.status = 'cancelled';
    this.wake?.();
  }

  /** For the scheduler: waits while paused; false once cancelled. */
  async proceed(): Promise<boolean> {
    while (this.status === 'paused') await new Promise<void>((r) => (this.wake = r));
    this.wake = undefined;
    return this.status === 'running';
  }

  then<A = TrainingResult, B = never>(
    onfulfilled?: ((value: TrainingResult) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.done.then(onfulfilled, onrejected);
  }
}
