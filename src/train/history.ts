// The cost history a fit writes on the GPU (HISTORY_STRIDE floats per epoch), read back without
// stalling: each command buffer copies the training state and the rows of the epochs it ended
// into a staging buffer, mapped asynchronously and consumed double-buffered — the scheduler
// records the next steps while the previous readback is in flight. Without onEpoch nothing is
// read until the end (readAll). The state says when the divergence guard stopped training.

import type { GpuContext } from '../gpu/context.js';
import { BufferUsage, MapMode } from '../gpu/flags.js';
import { STATE, STOP } from '../kernels/epoch_end.js';
import type { EpochReport } from './options.js';

/** Floats per epoch in a fit's history: J/m, accuracy, validation J/m, validation accuracy. */
export const HISTORY_STRIDE = 4;

/** What a report holds, besides the numbers: accuracy (not for linear regression), validation. */
export interface ReportShape {
  hasAccuracy: boolean;
  validation: boolean;
}

/** Epoch `epoch`'s report from its history row (J/m, accuracy, validation J/m and accuracy) at `values[at]`. */
export function reportAt(values: Float32Array, at: number, epoch: number, shape: ReportShape): EpochReport {
  const report: EpochReport = { epoch, cost: values[at]!, accuracy: shape.hasAccuracy ? values[at + 1]! : null };
  if (shape.validation) report.validation = { cost: values[at + 2]!, accuracy: shape.hasAccuracy ? values[at + 3]! : null };
  return report;
}

interface Readback {
  staging: GPUBuffer;
  mapped: Promise<void>;
  /** Epochs (within the fit) whose records this readback holds. */
  firstEpoch: number;
  epochs: number;
}

export interface HistoryOptions extends ReportShape {
  label: string;
  /** The model's epoch count before this fit: the state's epochs are numbered from it. */
  epochBase: number;
  /** Epochs whose rows one staging buffer holds (the most one command buffer ends). */
  epochsPerStaging: number;
  onEpoch: ((report: EpochReport) => unknown) | undefined;
  /** Read back as training goes (onEpoch, early stopping), or once at the end. */
  live: boolean;
  /** Whether the run was cancelled (checked after each onEpoch). */
  cancelled(): boolean;
  /** Asks the run to stop (onEpoch returned 'stop'). */
  cancel(): void;
}

/**
 * What the caller's onEpoch threw or rejected with, carried out of the scheduler so that no one
 * on the way mistakes it for a GPU failure (and waits to see whether the device was lost);
 * fit() rejects with `cause` itself.
 */
export class CallerError {
  constructor(readonly cause: unknown) {}
}

/** Reads a fit's history back and reports each epoch once, in order. */
export class HistoryReader {
  /** Every epoch reported so far. */
  readonly reports: EpochReport[] = [];
  /** Set once the state says the guard stopped training: the epoch it stopped and the epoch whose θ was kept (−1: none). */
  stopped: { epoch: number; restored: number } | undefined;
  /** Set once the state says early stopping ended training: the epoch it stopped and the best validation epoch. */
  earlyStop: { epoch: number; bestEpoch: number } | undefined;
  /** The best validation epoch so far (of this fit) as the GPU last reported it, when early stopping watches one. */
  validationBest: number | undefined;
  /** The epoch during whose report the caller stopped the run (onEpoch returned 'stop' or cancelled): nothing later is reported. */
  stoppedByCaller: number | undefined;
  private readonly pending: Readback[] = [];
  /** Promises returned by onEpoch, not yet settled. */
  private readonly callbacks: Promise<unknown>[] = [];
  /** What onEpoch threw or rejected with first. */
  private failure: { error: unknown } | undefined;
  private readonly spare: GPUBuffer[] = [];
  private readonly stagings: GPUBuffer[] = [];

  constructor(
    private readonly ctx: GpuContext,
    private readonly o: HistoryOptions,
  ) {}

  /** Whether epochs are reported as training goes (onEpoch, early stopping) rather than once at the end. */
  get live(): boolean {
    return this.o.live;
  }

  /** A staging buffer for the next command buffer's readback (live only). */
  target(): GPUBuffer | undefined {
    if (!this.live) return undefined;
    let staging = this.spare.pop();
    if (!staging) {
      const size = (STATE.size + HISTORY_STRIDE * this.o.epochsPerStaging) * 4;
      staging = this.ctx.device.createBuffer({ label: `${this.o.label} history readback`, size, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
      this.stagings.push(staging);
    }
    return staging;
  }

  /** Records the copies of the state and of `epochs` history rows from `firstEpoch` into `target`. */
  static copy(enc: GPUCommandEncoder, target: GPUBuffer, state: GPUBuffer, history: GPUBuffer, firstEpoch: number, epochs: number): void {
    enc.copyBufferToBuffer(state, 0, target, 0, STATE.size * 4);
    if (epochs > 0) enc.copyBufferToBuffer(history, firstEpoch * HISTORY_STRIDE * 4, target, STATE.size * 4, epochs * HISTORY_STRIDE * 4);
  }

  /** After the submit that filled `target`: maps it, and consumes the one before (double-buffered). */
  async submitted(target: GPUBuffer, firstEpoch: number, epochs: number): Promise<void> {
    const mapped = target.mapAsync(MapMode.READ);
    mapped.catch(() => {}); // a run that fails destroys its stagings mid-map; consume() reports real failures
    this.pending.push({ staging: target, mapped, firstEpoch, epochs });
    if (this.pending.length >= 2) await this.consume(this.pending.shift()!);
  }

  /** Consumes every readback in flight (before a pause, and at the end). */
  async drain(): Promise<void> {
    for (const r of this.pending.splice(0)) await this.consume(r);
  }

  /** Without onEpoch: the state and the rows of the first `epochs` epochs, read once. */
  async readAll(state: GPUBuffer, history: GPUBuffer, epochs: number): Promise<void> {
    const final = this.ctx.device.createBuffer({
      label: `${this.o.label} history readback`, size: (STATE.size + HISTORY_STRIDE * epochs) * 4, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
    });
    this.stagings.push(final);
    await this.ctx.submit(`${this.o.label} history`, (enc) => HistoryReader.copy(enc, final, state, history, 0, epochs));
    await this.consume({ staging: final, mapped: final.mapAsync(MapMode.READ), firstEpoch: 0, epochs });
  }

  private async consume(r: Readback): Promise<void> {
    await r.mapped;
    const values = new Float32Array(r.staging.getMappedRange().slice(0));
    r.staging.unmap();
    this.spare.push(r.staging);
    if (this.stopped || this.earlyStop || this.stoppedByCaller !== undefined) return;
    const code = values[STATE.stopped]!;
    const halted = code !== 0;
    const haltEpoch = values[STATE.stopEpoch]! - this.o.epochBase;
    for (let k = 0; k < r.epochs; k++) {
      const epoch = r.firstEpoch + k;
      if (halted && epoch > haltEpoch) break;
      const report = reportAt(values, STATE.size + HISTORY_STRIDE * k, epoch, this.o);
      this.reports.push(report);
      this.answer(report);
      if (this.live && this.o.cancelled()) {
        this.stoppedByCaller = epoch;
        return;
      }
    }
    if (this.o.validation) this.validationBest = values[STATE.validationBestEpoch]! - this.o.epochBase;
    if (code === STOP.diverged) {
      const best = values[STATE.bestEpoch]!;
      this.stopped = { epoch: haltEpoch, restored: best >= 0 ? best - this.o.epochBase : -1 };
    } else if (code === STOP.early) {
      this.earlyStop = { epoch: haltEpoch, bestEpoch: values[STATE.validationBestEpoch]! - this.o.epochBase };
    }
  }

  /**
   * Calls onEpoch. 'stop' (returned, or resolved by a promise it returns) cancels the run; a throw
   * or a rejection ends the fit with that error (`failure`). Training never waits for a promise
   * onEpoch returns, but the fit does not settle before every such promise has (`settled`).
   */
  private answer(report: EpochReport): void {
    const fail = (e: unknown) => {
      this.failure ??= { error: e };
      this.o.cancel();
    };
    let answer: unknown;
    try {
      answer = this.o.onEpoch?.(report);
    } catch (e) {
      return fail(e);
    }
    if (answer === 'stop') return this.o.cancel();
    if (answer !== null && typeof answer === 'object' && typeof (answer as PromiseLike<unknown>).then === 'function') {
      this.callbacks.push(Promise.resolve(answer as PromiseLike<unknown>).then((v) => (v === 'stop' ? this.o.cancel() : undefined), fail));
    }
  }

  /** Waits for the promises onEpoch returned; then throws a CallerError carrying the first error onEpoch threw or rejected with, if any. */
  async settled(): Promise<void> {
    while (this.callbacks.length) await Promise.all(this.callbacks.splice(0));
    if (this.failure) throw new CallerError(this.failure.error);
  }

  /** Whether onEpoch threw or rejected: the run is cancelled, and the fit ends with its error. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  destroy(): void {
    for (const b of this.stagings) b.destroy();
  }
}
