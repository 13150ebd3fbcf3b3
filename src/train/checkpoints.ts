// Checkpoints during a fit: every `every` epochs Θ (with the model's normalisation statistics
// and the history rows since the last one) is copied right after an epoch's last update and
// mapped without being waited on, so a lost device costs at most `every` epochs. A boundary
// that comes while the previous checkpoint is still mapping is skipped if that one was copied
// in the last two command buffers (small epochs: no stall per command buffer), and otherwise
// waits for it (it is done on the GPU by then): a loss costs at most `every` epochs plus two
// command buffers' worth. The first checkpoint is Θ as the fit found it, taken with the first
// steps, so it costs no wait either.

import type { GpuContext } from '../gpu/context.js';
import { BufferUsage, MapMode } from '../gpu/flags.js';
import { HISTORY_STRIDE, type ReportShape, reportAt } from './history.js';
import type { EpochReport } from './options.js';

/** Receives a checkpoint: Θ after `epoch` epochs of the fit, the reports since the previous one, and the kept buffer's floats. */
export type CheckpointSink = (epoch: number, theta: Float32Array, reports: EpochReport[], kept: Float32Array) => void;

export interface CheckpointOptions extends ReportShape {
  label: string;
  /** Epochs between checkpoints (> 0). */
  every: number;
  /** Epochs of the fit: none is taken at the last (the fit's result holds it). */
  epochs: number;
  /** The most epochs one command buffer ends. */
  epochsPerSubmit: number;
  theta: GPUBuffer;
  parameters: number;
  /** Copied with Θ (normalisation statistics), if any. */
  keep: GPUBuffer | undefined;
  history: GPUBuffer;
  sink: CheckpointSink;
}

export class Checkpoints {
  private readonly staging: GPUBuffer;
  /** History rows the staging holds: `every`, or more when boundaries are skipped; past that a boundary waits. */
  private readonly maxRows: number;
  private readonly kept: number;
  private busy = false;
  /** The epoch of the last checkpoint copied, and the submit that copied it. */
  private last = 0;
  private submits = 0;
  private takenAtSubmit = 0;
  /** The epoch of a checkpoint copied in the current submit, or −1. */
  private copied = -1;
  private since = 0;
  private mapping: Promise<void> = Promise.resolve();

  constructor(
    ctx: GpuContext,
    private readonly o: CheckpointOptions,
  ) {
    this.kept = (o.keep?.size ?? 0) / 4;
    this.maxRows = 2 * o.every + 3 * o.epochsPerSubmit;
    this.staging = ctx.device.createBuffer({
      label: `${o.label} checkpoint readback`, size: (o.parameters + this.kept + HISTORY_STRIDE * this.maxRows) * 4,
      usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
    });
  }

  /**
   * Before a submit that steps up to epoch `lastEnding` (`boundary`: it ends a checkpoint's
   * epoch): waits for the previous checkpoint if skipping would lose too much.
   */
  async beforeSubmit(boundary: boolean, lastEnding: number): Promise<void> {
    if (this.busy && boundary && (this.submits - this.takenAtSubmit >= 2 || lastEnding - this.last > this.maxRows - this.o.epochsPerSubmit)) await this.mapping;
    this.since = this.last;
    this.copied = -1;
  }

  /** In the first submit, before any step: Θ as the fit found it. */
  takeFirst(enc: GPUCommandEncoder): void {
    this.copy(enc, 0);
  }

  /** Whether a checkpoint is due after epoch `done` ends (outside a compute pass, call copy()). */
  due(done: number): boolean {
    return !this.busy && done % this.o.every === 0 && done < this.o.epochs && done - this.since <= this.maxRows;
  }

  /** Records the checkpoint after epoch `done`: Θ, the kept floats, the history rows since the last. */
  copy(enc: GPUCommandEncoder, done: number): void {
    const { theta, parameters: P, keep, history } = this.o;
    enc.copyBufferToBuffer(theta, 0, this.staging, 0, P * 4);
    if (keep) enc.copyBufferToBuffer(keep, 0, this.staging, P * 4, this.kept * 4);
    if (done > this.since) enc.copyBufferToBuffer(history, this.since * HISTORY_STRIDE * 4, this.staging, (P + this.kept) * 4, (done - this.since) * HISTORY_STRIDE * 4);
    this.busy = true;
    this.copied = done;
  }

  /** After each submit: maps the checkpoint it copied, if any, and hands it to the sink once read. */
  afterSubmit(): void {
    this.submits++;
    if (this.copied < 0) return;
    const epoch = this.copied;
    const since = this.since;
    this.takenAtSubmit = this.submits;
    this.last = epoch;
    const P = this.o.parameters;
    this.mapping = this.staging.mapAsync(MapMode.READ).then(
      () => {
        let all: Float32Array;
        try {
          all = new Float32Array(this.staging.getMappedRange().slice(0));
          this.staging.unmap();
        } catch {
          // The run ended (cancelled, diverged) and destroyed the staging buffer between the map
          // resolving and this callback: no checkpoint — as when the map itself is refused, below.
          this.busy = false;
          return;
        }
        this.busy = false;
        const rows = Array.from({ length: epoch - since }, (_, i) => reportAt(all, P + this.kept + HISTORY_STRIDE * i, since + i, this.o));
        this.o.sink(epoch, all.slice(0, P), rows, all.slice(P, P + this.kept));
      },
      () => {}, // the device was lost or the run ended: no checkpoint
    );
  }

  /** Resolves once the last checkpoint copied has been handed over (or dropped). */
  settled(): Promise<void> {
    return this.mapping;
  }

  destroy(): void {
    this.staging.destroy();
  }
}
