// One training step, built once and recorded many times: the mini-batch gather (one dispatch
// per chunk and batch part; none for a full batch), the model's forward pass and
// backpropagation for each part, the epoch end, the optimiser update, and the validation pass.
// Every buffer and bind group is made here; a step only picks its record in the step table.

import type { GpuContext } from '../gpu/context.js';
import { BufferUsage } from '../gpu/flags.js';
import { type Dispatch, encodeDispatch } from '../gpu/kernel.js';
import { createBatchGather } from '../kernels/batch_gather.js';
import { type EpochEndSettings, STATE, createEpochEnd, epochEndParams, initialState } from '../kernels/epoch_end.js';
import { createOptimizerUpdate, updateSettings } from '../kernels/optimizer_update.js';
import { HISTORY_STRIDE } from './history.js';
import type { ResolvedTrainOptions } from './options.js';
import { type BatchOps, type GradientProgram, type TrainingData, fullBatch } from './program.js';
import { StepTable } from './step-table.js';

/** The buffers a fit keeps on the GPU besides the model's own. */
export interface FitBuffers {
  grad: GPUBuffer;
  moments: GPUBuffer;
  thetaGood: GPUBuffer;
  loss: GPUBuffer;
  correct: GPUBuffer;
  /** HISTORY_STRIDE floats per epoch, NaN until written. */
  history: GPUBuffer;
  state: GPUBuffer;
  /** Read live (onEpoch, early stopping): Θ as each command buffer finds it, so a stop undoes the next epoch's start. */
  rewind: GPUBuffer | undefined;
  /** With early stopping: Θ of the best validation epoch. */
  bestValidation: GPUBuffer | undefined;
}

/**
 * What a step records: all of it (a fit alone), or for models trained together (src/train/group.ts)
 * only the batch's gather and passes (one set for all of them), or 'own': none, only the buffers
 * of one of those models' fit — the group runs every model's epoch end, update and validation at
 * once, and copies each one's history, state and θ_good into them.
 */
export type StepParts = 'all' | 'batch' | 'own';

/** The training set's epoch end for a fit of `o` on m examples (J with its λ term, the divergence guard). */
export function trainingEndSettings(m: number, parameters: number, o: ResolvedTrainOptions, epochBase: number): EpochEndSettings {
  return { examples: m, parameters, lambda: o.lambda, tolerance: o.tolerance, patience: o.patience, aboveFirst: o.aboveFirst, earlyPatience: 0, minDelta: 0, firstEpoch: epochBase, historyStride: HISTORY_STRIDE, historyOffset: 0 };
}

/** The validation set's (EVALUATE: J without λ, into the history's second pair, and early stopping's watch). */
export function validationEndSettings(examples: number, parameters: number, o: ResolvedTrainOptions, epochBase: number): EpochEndSettings {
  return {
    examples, parameters, lambda: 0, tolerance: o.tolerance, patience: o.patience, aboveFirst: o.aboveFirst,
    earlyPatience: o.earlyStopping?.patience ?? 0, minDelta: o.earlyStopping?.minDelta ?? 0,
    firstEpoch: epochBase, historyStride: HISTORY_STRIDE, historyOffset: 2,
  };
}

export class TrainingStep {
  readonly gathers: Dispatch[] = [];
  readonly ops: BatchOps[] = [];
  readonly validationOps: BatchOps[] = [];
  update: Dispatch | undefined;
  epochEnd: Dispatch | undefined;
  validationEnd: Dispatch | undefined;
  validationSteps: StepTable | undefined;
  private readonly created: GPUBuffer[] = [];
  /** The epoch ends' uniforms and what they were packed from (refresh() rewrites their first epoch). */
  private readonly ends: { params: GPUBuffer; settings: EpochEndSettings }[] = [];

  private constructor(
    private readonly ctx: GpuContext,
    readonly label: string,
    readonly steps: StepTable,
    /** The model's parameters, which the step updates. */
    readonly theta: GPUBuffer,
  ) {}

  private make(name: string, floats: number): GPUBuffer {
    const b = this.ctx.createBuffer(`${this.label} ${name}`, floats * 4, BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST);
    this.created.push(b);
    return b;
  }

  /** Takes over a buffer made elsewhere (carried optimiser moments, once training starts): freed with the step's own. */
  adopt(buffer: GPUBuffer): void {
    this.created.push(buffer);
  }

  /** Hands `buffer` to the caller: the step no longer frees it (the moments a completed fit leaves). */
  release(buffer: GPUBuffer): GPUBuffer {
    const at = this.created.indexOf(buffer);
    if (at < 0) throw new Error(`${this.label}: release of a buffer the training step does not hold`);
    this.created.splice(at, 1);
    return buffer;
  }

  /**
   * The fit's own buffers, initialised: zero moments (or those carried over), a fresh state, a NaN
   * history (also in o.historyBuffer). A step that only records the batch (StepParts 'batch')
   * needs only the gradient — the models trained as one write their costs into the group's stack
   * (src/train/group.ts) — and one of those models ('own') no costs nor gradient of its own: the
   * rest is a placeholder of one float.
   */
  private buffers(program: GradientProgram, m: number, o: ResolvedTrainOptions, recorded: StepParts): FitBuffers {
    const P = program.parameters;
    const tail = recorded !== 'batch';
    const size = (floats: number) => (tail ? floats : 1);
    const costs = (floats: number) => (recorded === 'all' ? floats : 1);
    const b: FitBuffers = {
      grad: this.make('gradient', recorded === 'own' ? 1 : P),
      moments: program.optimizer ? program.optimizer.moments : this.make('optimizer moments', size(o.optimizer === 'adam' ? 2 * P : P)),
      thetaGood: this.make('best parameters', size(P)),
      loss: this.make('example costs', costs(m)),
      correct: this.make('example correct', costs(m)),
      history: this.make('cost history', size(HISTORY_STRIDE * o.epochs)),
      state: this.make('training state', size(STATE.size)),
      rewind: o.live && tail ? this.make('θ before the last command buffer', P) : undefined,
      bestValidation: o.earlyStopping && tail ? this.make('θ of the best validation epoch', P) : undefined,
    };
    if (!tail) return b;
    const queue = this.ctx.device.queue;
    if (!program.optimizer) queue.writeBuffer(b.moments, 0, new Float32Array(b.moments.size / 4));
    queue.writeBuffer(b.state, 0, initialState());
    const unset = new Float32Array(HISTORY_STRIDE * o.epochs).fill(NaN);
    queue.writeBuffer(b.history, 0, unset);
    if (o.historyBuffer) queue.writeBuffer(o.historyBuffer, 0, unset);
    return b;
  }

  /**
   * Builds the step of `program` on `data` (and the validation pass on `validation`), with a
   * step table of `stepsPerSubmit` records — of the parts `recorded` (StepParts). Returns the
   * step and its buffers; on an error, everything made so far is freed.
   */
  static async build(
    ctx: GpuContext,
    program: GradientProgram,
    data: TrainingData,
    o: ResolvedTrainOptions,
    epochBase: number,
    validation: TrainingData | undefined,
    recorded: StepParts = 'all',
  ): Promise<{ step: TrainingStep; buffers: FitBuffers; stepsPerSubmit: number }> {
    const m = data.examples;
    const full = o.batchSize === m;
    // A mini-batch larger than a chunk (one binding, one dispatch) is gathered and run in parts.
    const partRows = data.chunks.reduce((most, c) => Math.max(most, c.rows), 0);
    const parts = full ? 1 : Math.ceil(o.batchSize / partRows);
    // About 128 dispatches per command buffer.
    const perStep = (full ? data.chunks.length * 3 : parts * (data.chunks.length + 3)) + 1;
    const stepsPerSubmit = o.stepsPerSubmit ?? Math.max(1, Math.min(512, Math.floor(128 / perStep)));
    const self = new TrainingStep(ctx, program.label, new StepTable(ctx, stepsPerSubmit, program.label), program.theta);
    try {
      const buffers = self.buffers(program, m, o, recorded);
      const batch = recorded === 'all' || recorded === 'batch';
      if (batch && full) await self.bindFull(program, data, buffers);
      else if (batch) await self.bindParts(program, data, o, partRows, buffers);
      if (recorded === 'all') await self.bindTail(program, m, o, epochBase, buffers);
      if (validation && recorded === 'all') await self.bindValidation(program, validation, o, epochBase, stepsPerSubmit, buffers);
      return { step: self, buffers, stepsPerSubmit };
    } catch (e) {
      self.destroy();
      throw e;
    }
  }

  private async bindFull(program: GradientProgram, data: TrainingData, b: FitBuffers): Promise<void> {
    for (const binding of fullBatch(data, this.label, { grad: b.grad, loss: b.loss, correct: b.correct, steps: this.steps })) {
      this.ops.push(await program.bindBatch(binding));
    }
  }

  /** Mini-batches: per part of partRows rows, a gather from every chunk into the part's buffers, then the model's ops. */
  private async bindParts(program: GradientProgram, data: TrainingData, o: ResolvedTrainOptions, partRows: number, b: FitBuffers): Promise<void> {
    for (let start = 0, part = 0; start < o.batchSize; start += partRows, part++) {
      const rows = Math.min(partRows, o.batchSize - start);
      const sets = data.sets ?? 1;
      const xBatch = this.make(`batch x ${part}`, sets * rows * data.cols);
      const yBatch = this.make(`batch y ${part}`, sets * rows);
      for (const [i, chunk] of data.chunks.entries()) {
        const gather = await createBatchGather(this.ctx, {
          label: `${this.label} gather ${part}.${i}`, chunk: sets > 1 ? { ...chunk, rows: sets * chunk.rows } : chunk, rows, start, xBatch, yBatch,
          cols: data.cols, examples: data.examples, shuffle: o.shuffle, seed: o.seed, steps: this.steps, sets,
        });
        this.created.push(gather.params);
        this.gathers.push(gather.dispatch);
      }
      this.ops.push(
        await program.bindBatch({
          label: `${this.label} batch${start === 0 && rows === o.batchSize ? '' : ` part ${part}`}`,
          x: { buffer: xBatch, rows, cols: data.cols },
          y: { buffer: yBatch, length: rows },
          rowOffset: start,
          accumulate: start > 0,
          ...(sets > 1 ? { sets: { count: sets, x: rows * data.cols, y: rows } } : {}),
          grad: b.grad, loss: b.loss, correct: b.correct, steps: this.steps,
        }),
      );
    }
  }

  /** The epoch end of the training set and the optimiser update (a group's are the group's: src/train/stack.ts). */
  private async bindTail(program: GradientProgram, m: number, o: ResolvedTrainOptions, epochBase: number, b: FitBuffers): Promise<void> {
    const { theta, decay, parameters } = program;
    const made = await createOptimizerUpdate(this.ctx, this.label, o.optimizer, parameters, updateSettings(o, m), { ...b, theta, decay, steps: this.steps });
    this.created.push(made.params);
    this.update = made.dispatch;
    const settings = trainingEndSettings(m, parameters, o, epochBase);
    const end = await createEpochEnd(this.ctx, this.label, false, settings, { ...b, theta, decay, steps: this.steps });
    this.created.push(end.params);
    this.ends.push({ params: end.params, settings });
    this.epochEnd = end.dispatch;
  }

  /**
   * Validation: the forward pass over the held-out set and an EVALUATE epoch end into the
   * history's second pair, with step records of their own (the whole set, from position 0).
   */
  private async bindValidation(program: GradientProgram, validation: TrainingData, o: ResolvedTrainOptions, epochBase: number, stepsPerSubmit: number, b: FitBuffers): Promise<void> {
    const steps = (this.validationSteps = new StepTable(this.ctx, stepsPerSubmit, `${this.label} validation`));
    const loss = this.make('validation costs', validation.examples);
    const correct = this.make('validation correct', validation.examples);
    for (const binding of fullBatch(validation, `${this.label} validation`, { grad: b.grad, loss, correct, steps, forwardOnly: true })) {
      this.validationOps.push(await program.bindBatch(binding));
    }
    const settings = validationEndSettings(validation.examples, program.parameters, o, epochBase);
    // Early stopping keeps the best validation epoch's θ in a buffer of its own.
    const end = await createEpochEnd(this.ctx, `${this.label} validation`, true, settings, { ...b, loss, correct, theta: program.theta, decay: program.decay, steps, thetaGood: b.bestValidation ?? b.thetaGood });
    this.created.push(end.params);
    this.ends.push({ params: end.params, settings });
    this.validationEnd = end.dispatch;
  }

  /**
   * Readies a step kept from the fit before for the next one (the same data and options, the
   * optimiser's moments carried on, src/train/session.ts): a fresh training state, an unset
   * history (and o.historyBuffer), the epoch ends told the new fit's first epoch. False when it
   * cannot serve: its history holds fewer epochs than the fit runs.
   */
  refresh(buffers: FitBuffers, o: ResolvedTrainOptions, epochBase: number): boolean {
    if (buffers.history.size < HISTORY_STRIDE * 4 * o.epochs) return false;
    const queue = this.ctx.device.queue;
    queue.writeBuffer(buffers.state, 0, initialState());
    const unset = new Float32Array(HISTORY_STRIDE * o.epochs).fill(NaN);
    queue.writeBuffer(buffers.history, 0, unset);
    if (o.historyBuffer) queue.writeBuffer(o.historyBuffer, 0, unset);
    for (const end of this.ends) queue.writeBuffer(end.params, 0, epochEndParams(this.ctx, { ...end.settings, firstEpoch: epochBase }));
    return true;
  }

  /** Records step record `k` of the table: gather, forward and backward, [epoch end], update, [validation]. */
  encode(pass: GPUComputePassEncoder, k: number, endsEpoch: boolean): void {
    const offset = k * this.steps.stride;
    for (const g of this.gathers) encodeDispatch(pass, g, offset);
    for (const op of this.ops) op.encode(pass, offset);
    if (endsEpoch) this.encodeEpochEnd(pass, k);
    if (this.update) encodeDispatch(pass, this.update, offset);
    if (endsEpoch) this.encodeValidation(pass, k);
  }

  /** The epoch end of record `k` (what precedes its update). */
  private encodeEpochEnd(pass: GPUComputePassEncoder, k: number): void {
    if (this.epochEnd) encodeDispatch(pass, this.epochEnd, k * this.steps.stride);
  }

  /** The validation pass and its epoch end of record `k` (what follows its update), if the fit has a validation set. */
  private encodeValidation(pass: GPUComputePassEncoder, k: number): void {
    if (!this.validationEnd) return;
    const at = k * this.validationSteps!.stride;
    for (const op of this.validationOps) op.encode(pass, at);
    encodeDispatch(pass, this.validationEnd, at);
  }

  destroy(): void {
    for (const op of [...this.ops, ...this.validationOps]) op.destroy();
    this.steps.destroy();
    this.validationSteps?.destroy();
    for (const b of this.created) this.ctx.release(b);
  }
}
