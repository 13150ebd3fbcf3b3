// The training scheduler every model is trained by. The training set is on the GPU once
// (chunked when it exceeds one storage binding); each step is recorded from ops built once —
// mini-batch gather, the model's gradient, epoch end, optimiser update — many steps to a command
// buffer, with a per-step record at a dynamic offset. The cost history is written on the GPU
// and read back asynchronously, double-buffered, so the loop never waits for a readback before
// recording the next steps. Deterministic: no atomics, fixed-order sums, a seeded shuffle.

import elementwiseLib from '../../shaders/lib/elementwise.wgsl?raw';
import reduceLib from '../../shaders/lib/reduce.wgsl?raw';
import shuffleLib from '../../shaders/lib/shuffle.wgsl?raw';
import stepLib from '../../shaders/lib/step.wgsl?raw';
import batchGatherWgsl from '../../shaders/batch_gather.wgsl?raw';
import epochEndWgsl from '../../shaders/epoch_end.wgsl?raw';
import optimizerUpdateWgsl from '../../shaders/optimizer_update.wgsl?raw';
import type { GpuContext } from '../gpu/context.js';
import { ArgumentError, DeviceLostError, DivergenceError } from '../gpu/errors.js';
import { BufferUsage, MapMode } from '../gpu/flags.js';
import { type Dispatch, type KernelSpec, encodeDispatch, grid1d } from '../gpu/kernel.js';
import type { GpuMatrix, GpuVector } from '../gpu/matrix.js';
import { type EpochReport, METHODS, type OptimizerName, type ResolvedTrainOptions } from './optimizer.js';
import { type StepRecord, StepTable } from './step-table.js';

export const BATCH_GATHER: KernelSpec = { name: 'batch_gather', sources: [elementwiseLib, shuffleLib, stepLib, batchGatherWgsl], dynamic: ['step'] };
export const OPTIMIZER_UPDATE: KernelSpec = { name: 'optimizer_update', sources: [elementwiseLib, stepLib, optimizerUpdateWgsl], dynamic: ['step'] };
export const EPOCH_END: KernelSpec = { name: 'epoch_end', sources: [reduceLib, stepLib, epochEndWgsl], dynamic: ['step'] };

const WORKGROUP_SIZE = 256;
/** Columns one invocation of batch_gather.wgsl copies (its GATHER_COLS). */
export const GATHER_COLS = 32;

/** batch_gather.wgsl's grid for `batch` rows of `cols` columns. */
export function gatherGrid(batch: number, cols: number, limits: GPUSupportedLimits): [number, number, number] {
  return grid1d(batch * Math.ceil(cols / GATHER_COLS), WORKGROUP_SIZE, limits.maxComputeWorkgroupsPerDimension, 'options.batchSize');
}
/** Floats in the training state buffer (epoch_end.wgsl). */
const STATE_SIZE = 8;
/** Floats per epoch in a fit's history: J/m, accuracy, validation J/m, validation accuracy. */
const HISTORY_STRIDE = 4;

/** The training set on the GPU: design-matrix rows (x₀ = 1 first) and targets, in chunks. */
export interface TrainingData {
  examples: number;
  /** Columns of the design matrix (n + 1). */
  cols: number;
  chunks: readonly { start: number; rows: number; x: GPUBuffer; y: GPUBuffer }[];
}

/** What a batch's gradient ops are bound to. */
export interface BatchBinding {
  label: string;
  /** Design-matrix rows of the batch (or of one chunk of a full batch). */
  x: GpuMatrix;
  /** Their targets. */
  y: GpuVector;
  /** Index in the batch of x's first row (a full batch's later chunks). */
  rowOffset: number;
  /** Add into `grad` (a full batch's later chunks) instead of overwriting it. */
  accumulate: boolean;
  /** Forward pass and costs only, no backpropagation (`grad` is left alone): validation. */
  forwardOnly?: boolean;
  /** P floats: receives the mean gradient (1/count)·Σ ∂cost/∂θ over the batch, unregularised. */
  grad: GPUBuffer;
  /** m floats each: every example's cost and right (1) / wrong (0), at its position in the epoch. */
  loss: GPUBuffer;
  correct: GPUBuffer;
  steps: StepTable;
}

export interface BatchOps {
  /** Records the batch's forward and backward passes; `offset` selects the step record. */
  encode(pass: GPUComputePassEncoder, offset: number): void;
  destroy(): void;
}

/** A model as the scheduler sees it: parameters in one buffer, and a gradient for a batch. */
export interface GradientProgram {
  label: string;
  /** P, the number of parameters. */
  parameters: number;
  /** θ, P floats, updated in place. */
  theta: GPUBuffer;
  /** P floats: 1 for a regularised weight, 0 for a bias term. */
  decay: GPUBuffer;
  /** Whether a label is predicted, so accuracy means something (not for linear regression). */
  hasAccuracy: boolean;
  /** Buffers that checkpoints copy with Θ (a model's normalisation statistics), if any. */
  keep?: GPUBuffer;
  bindBatch(binding: BatchBinding): Promise<BatchOps>;
}

export interface TrainingResult {
  /** 'completed' after every epoch; 'cancelled' when stopped early (θ is that of the last step run). */
  status: 'completed' | 'cancelled';
  /** Epochs run. */
  epochs: number;
  history: EpochReport[];
  /** Times the GPU device was lost and training went on from a checkpoint on a new one. */
  recoveries: number;
  /**
   * Epochs reported before a loss and trained again from the checkpoint (at most
   * options.checkpointEvery each time, plus the work the GPU had queued when it was lost).
   */
  repeatedEpochs: number;
}

/**
 * A full batch as one binding per chunk: each chunk's rows at their place in the batch, the
 * first overwriting the gradient and the others adding to it.
 */
export function fullBatch(
  data: TrainingData,
  label: string,
  outputs: Pick<BatchBinding, 'grad' | 'loss' | 'correct' | 'steps' | 'forwardOnly'>,
): BatchBinding[] {
  return data.chunks.map((chunk, i) => ({
    label: `${label} chunk ${i}`,
    x: { buffer: chunk.x, rows: chunk.rows, cols: data.cols },
    y: { buffer: chunk.y, length: chunk.rows },
    rowOffset: chunk.start,
    accumulate: i > 0,
    ...outputs,
  }));
}

/** Builds the optimiser update for `program` (METHOD from `optimizer`, or 'gradient' to only write g). */
export async function createUpdate(
  ctx: GpuContext,
  program: GradientProgram,
  method: OptimizerName | 'gradient',
  o: { learningRate: number; lambdaOverM: number; beta1: number; beta2: number; epsilon: number },
  buffers: { grad: GPUBuffer; moments: GPUBuffer; state: GPUBuffer; steps: StepTable },
): Promise<{ dispatch: Dispatch; params: GPUBuffer }> {
  const kernel = ctx.kernel(OPTIMIZER_UPDATE);
  const params = ctx.createUniform(
    `${program.label} update params`,
    kernel.params({
      count: program.parameters, learning_rate: o.learningRate, lambda_over_m: o.lambdaOverM,
      beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon,
    }),
  );
  const dispatch: Dispatch = {
    label: `${program.label} update`,
    pipeline: await kernel.pipeline({ METHOD: METHODS[method], WORKGROUP_SIZE }),
    bindGroups: kernel.bindGroups(
      { theta: program.theta, grad: buffers.grad, decay: program.decay, moments: buffers.moments, state: buffers.state, params, step: buffers.steps.binding },
      `${program.label} update`,
    ),
    workgroups: grid1d(program.parameters, WORKGROUP_SIZE, ctx.limits.maxComputeWorkgroupsPerDimension, 'parameters'),
    dynamicGroup: kernel.dynamicGroup,
  };
  return { dispatch, params };
}

/**
 * Builds the epoch-end reduction (EVALUATE: cost and accuracy of one pass only), writing epoch
 * e's [J, accuracy] at history[historyStride·(e − firstEpoch) + historyOffset].
 */
export async function createEpochEnd(
  ctx: GpuContext,
  program: GradientProgram,
  evaluate: boolean,
  o: { examples: number; lambda: number; tolerance: number; patience: number; firstEpoch: number; historyStride: number; historyOffset: number },
  buffers: { loss: GPUBuffer; correct: GPUBuffer; thetaGood: GPUBuffer; history: GPUBuffer; state: GPUBuffer; steps: StepTable },
): Promise<{ dispatch: Dispatch; params: GPUBuffer }> {
  const kernel = ctx.kernel(EPOCH_END);
  const params = ctx.createUniform(
    `${program.label} epoch end params`,
    kernel.params({
      examples: o.examples, count: program.parameters, lambda_over_2m: o.lambda / (2 * o.examples),
      tolerance: o.tolerance, patience: o.patience, first_epoch: o.firstEpoch,
      history_stride: o.historyStride, history_offset: o.historyOffset,
    }),
  );
  const dispatch: Dispatch = {
    label: `${program.label} epoch end`,
    pipeline: await kernel.pipeline({ EVALUATE: evaluate }),
    bindGroups: kernel.bindGroups(
      {
        loss: buffers.loss, correct: buffers.correct, theta: program.theta, decay: program.decay,
        theta_good: buffers.thetaGood, history: buffers.history, state: buffers.state, params, step: buffers.steps.binding,
      },
      `${program.label} epoch end`,
    ),
    workgroups: [1, 1, 1],
    dynamicGroup: kernel.dynamicGroup,
  };
  return { dispatch, params };
}

type RunState = 'running' | 'paused' | 'completed' | 'cancelled' | 'failed';

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

interface Readback {
  staging: GPUBuffer;
  mapped: Promise<void>;
  /** Epochs (within the fit) whose records this readback holds. */
  firstEpoch: number;
  epochs: number;
}

/**
 * Trains `program` on `data`. `epochBase` is the model's count of epochs before this fit (it
 * keys the shuffle, so a second fit does not replay the first one's order). `validation`, when
 * given, is evaluated (forward only, λ = 0) after each epoch's last update.
 */
export async function runTraining(
  ctx: GpuContext,
  program: GradientProgram,
  data: TrainingData,
  o: ResolvedTrainOptions,
  epochBase: number,
  run: TrainingRun,
  validation?: TrainingData,
  /**
   * Receives each checkpoint — the first at epoch 0, before any update — with Θ after `epoch`
   * epochs of this call, the reports of the epochs since the previous checkpoint (so a loss
   * costs no history either) and the contents of program.keep.
   */
  checkpoint?: (epoch: number, theta: Float32Array, reports: EpochReport[], kept: Float32Array) => void,
): Promise<Omit<TrainingResult, 'recoveries' | 'repeatedEpochs'>> {
  const m = data.examples;
  const P = program.parameters;
  const label = program.label;
  const full = o.batchSize === m;
  const stepsPerEpoch = Math.ceil(m / o.batchSize);
  const totalSteps = o.epochs * stepsPerEpoch;
  // A mini-batch larger than a chunk (one binding, one dispatch) is gathered and run part by
  // part, like a full batch's chunks: the parts' gradients accumulate.
  const partRows = Math.max(...data.chunks.map((c) => c.rows));
  const created: GPUBuffer[] = [];
  const make = (name: string, floats: number, usage = 0) => {
    const b = ctx.createBuffer(`${label} ${name}`, floats * 4, BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST | usage);
    created.push(b);
    return b;
  };
  const ops: BatchOps[] = [];
  const validationOps: BatchOps[] = [];
  const stagings: GPUBuffer[] = [];
  let steps: StepTable | undefined;
  let validationSteps: StepTable | undefined;
  const abort = () => run.cancel(); // also wakes a paused run
  o.signal?.addEventListener('abort', abort);
  const reports: EpochReport[] = [];
  /** Epoch `epoch`'s report from its history row (J/m, accuracy, validation J/m and accuracy) at `values[at]`. */
  const reportAt = (values: Float32Array, at: number, epoch: number): EpochReport => {
    const report: EpochReport = { epoch, cost: values[at]!, accuracy: program.hasAccuracy ? values[at + 1]! : null };
    if (validation) report.validation = { cost: values[at + 2]!, accuracy: program.hasAccuracy ? values[at + 3]! : null };
    return report;
  };
  let checkpointing: Promise<void> = Promise.resolve();
  let epochsSubmitted = 0; // epochs whose steps were all submitted (a loss repeats at most these)
  try {
    const grad = make('gradient', P);
    const moments = make('optimizer moments', o.optimizer === 'adam' ? 2 * P : P);
    const thetaGood = make('best parameters', P);
    const loss = make('example costs', m);
    const correct = make('example correct', m);
    const history = make('cost history', HISTORY_STRIDE * o.epochs);
    const state = make('training state', STATE_SIZE);
    ctx.device.queue.writeBuffer(moments, 0, new Float32Array(moments.size / 4));
    ctx.device.queue.writeBuffer(state, 0, Float32Array.from([0, Infinity, 0, -1, -1, 0, 0, 0]));
    const unset = new Float32Array(HISTORY_STRIDE * o.epochs).fill(NaN);
    ctx.device.queue.writeBuffer(history, 0, unset);
    if (o.historyBuffer) ctx.device.queue.writeBuffer(o.historyBuffer, 0, unset);

    // Per step: gather (one dispatch per chunk) unless full, the batch ops, the update;
    // epoch end once per epoch. About 128 dispatches per command buffer.
    const parts = full ? 1 : Math.ceil(o.batchSize / partRows);
    const perStep = (full ? data.chunks.length * 3 : parts * (data.chunks.length + 3)) + 1;
    const stepsPerSubmit = o.stepsPerSubmit ?? Math.max(1, Math.min(512, Math.floor(128 / perStep)));
    steps = new StepTable(ctx, stepsPerSubmit, label);
    const epochOptions = { tolerance: o.tolerance, patience: o.patience, firstEpoch: epochBase, historyStride: HISTORY_STRIDE };

    const gathers: Dispatch[] = [];
    if (full) {
      for (const binding of fullBatch(data, label, { grad, loss, correct, steps })) ops.push(await program.bindBatch(binding));
    } else {
      const kernel = ctx.kernel(BATCH_GATHER);
      const pipeline = await kernel.pipeline({ WORKGROUP_SIZE });
      for (let start = 0, part = 0; start < o.batchSize; start += partRows, part++) {
        const rows = Math.min(partRows, o.batchSize - start);
        const xb = make(`batch x ${part}`, rows * data.cols);
        const yb = make(`batch y ${part}`, rows);
        for (const [i, chunk] of data.chunks.entries()) {
          const params = ctx.createUniform(
            `${label} gather params ${part}.${i}`,
            kernel.params({
              batch: rows, batch_start: start, cols: data.cols, examples: m, chunk_start: chunk.start, chunk_rows: chunk.rows,
              shuffle: o.shuffle ? 1 : 0, seed: o.seed,
            }),
          );
          created.push(params);
          gathers.push({
            label: `${label} gather ${part}.${i}`,
            pipeline,
            bindGroups: kernel.bindGroups({ x: chunk.x, y: chunk.y, x_batch: xb, y_batch: yb, params, step: steps.binding }, `${label} gather ${part}.${i}`),
            workgroups: gatherGrid(rows, data.cols, ctx.limits),
            dynamicGroup: kernel.dynamicGroup,
          });
        }
        ops.push(
          await program.bindBatch({
            label: `${label} batch${start === 0 && rows === o.batchSize ? '' : ` part ${part}`}`,
            x: { buffer: xb, rows, cols: data.cols },
            y: { buffer: yb, length: rows },
            rowOffset: start,
            accumulate: start > 0,
            grad, loss, correct, steps,
          }),
        );
      }
    }
    const update = await createUpdate(ctx, program, o.optimizer, { ...o, lambdaOverM: o.lambda / m }, { grad, moments, state, steps });
    created.push(update.params);
    const epochEnd = await createEpochEnd(
      ctx, program, false,
      { ...epochOptions, examples: m, lambda: o.lambda, historyOffset: 0 },
      { loss, correct, thetaGood, history, state, steps },
    );
    created.push(epochEnd.params);

    // Validation: the forward pass over the held-out set and an EVALUATE epoch end into the
    // history's second pair, with step records of their own (the whole set, from position 0).
    let validationEnd: Dispatch | undefined;
    if (validation) {
      const vsteps = (validationSteps = new StepTable(ctx, stepsPerSubmit, `${label} validation`));
      const vloss = make('validation costs', validation.examples);
      const vcorrect = make('validation correct', validation.examples);
      for (const binding of fullBatch(validation, `${label} validation`, { grad, loss: vloss, correct: vcorrect, steps: vsteps, forwardOnly: true })) {
        validationOps.push(await program.bindBatch(binding));
      }
      const end = await createEpochEnd(
        ctx, program, true,
        { ...epochOptions, examples: validation.examples, lambda: 0, historyOffset: 2 },
        { loss: vloss, correct: vcorrect, thetaGood, history, state, steps: vsteps },
      );
      created.push(end.params);
      validationEnd = end.dispatch;
    }

    // θ_good starts as the initial θ, so a first epoch that diverges restores it.
    await ctx.submit(`${label} start`, (enc) => enc.copyBufferToBuffer(program.theta, 0, thetaGood, 0, P * 4));

    const pending: Readback[] = [];
    const spare: GPUBuffer[] = [];
    const stagingBytes = (STATE_SIZE + HISTORY_STRIDE * Math.min(o.epochs, stepsPerSubmit)) * 4;
    let stopped: { epoch: number; restored: number } | undefined;

    const consume = async (r: Readback) => {
      await r.mapped;
      const values = new Float32Array(r.staging.getMappedRange().slice(0));
      r.staging.unmap();
      spare.push(r.staging);
      if (stopped) return;
      const halted = values[0] === 1;
      const haltEpoch = values[3]! - epochBase;
      for (let k = 0; k < r.epochs; k++) {
        const epoch = r.firstEpoch + k;
        if (halted && epoch > haltEpoch) break;
        const report = reportAt(values, STATE_SIZE + HISTORY_STRIDE * k, epoch);
        reports.push(report);
        o.onEpoch?.(report);
      }
      if (halted) stopped = { epoch: haltEpoch, restored: values[4]! >= 0 ? values[4]! - epochBase : -1 };
    };

    // With onEpoch the history is read back as training goes (double-buffered, never waited on
    // mid-epoch); without it, once at the end: nothing is read back while training runs.
    const live = o.onEpoch !== undefined;
    // Checkpoints: Θ, and the history rows since the last one, copied right after an epoch's last
    // update every checkpointEvery epochs and mapped without being waited on. A boundary that
    // comes while the previous checkpoint is still mapping is skipped if that one was copied in
    // the last two command buffers (small epochs: no stall per command buffer), and otherwise
    // waits for it (it is done on the GPU by then): so a loss costs at most N epochs plus two
    // command buffers' worth.
    const N = o.checkpointEvery;
    const K = (program.keep?.size ?? 0) / 4; // floats kept with Θ
    // [Θ | kept | history rows since the last checkpoint]: N rows, or more when boundaries are
    // skipped; a boundary that would need more waits instead.
    const epochsPerSubmit = Math.ceil(stepsPerSubmit / stepsPerEpoch) + 1;
    const maxRows = 2 * N + 3 * epochsPerSubmit;
    const checkpointStaging = !checkpoint || N === 0 ? undefined : ctx.device.createBuffer({
      label: `${label} checkpoint readback`, size: (P + K + HISTORY_STRIDE * maxRows) * 4,
      usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
    });
    if (checkpointStaging) stagings.push(checkpointStaging);
    const copyCheckpoint = (enc: GPUCommandEncoder, since: number, done: number) => {
      enc.copyBufferToBuffer(program.theta, 0, checkpointStaging!, 0, P * 4);
      if (program.keep) enc.copyBufferToBuffer(program.keep, 0, checkpointStaging!, P * 4, K * 4);
      if (done > since) enc.copyBufferToBuffer(history, since * HISTORY_STRIDE * 4, checkpointStaging!, (P + K) * 4, (done - since) * HISTORY_STRIDE * 4);
    };
    let checkpointBusy = false;
    let lastCheckpoint = 0;
    let submits = 0;
    let checkpointSubmit = 0;
    let step = 0;
    while (step < totalSteps && !stopped) {
      if (ctx.lost) break;
      if (o.signal?.aborted) run.cancel();
      // Paused: deliver the epochs already run before waiting, so the caller sees where it stopped.
      if (run.state === 'paused') for (const r of pending.splice(0)) await consume(r);
      if (!(await run.proceed())) break;
      const count = Math.min(stepsPerSubmit, totalSteps - step);
      const records: StepRecord[] = [];
      const endsEpoch: boolean[] = [];
      for (let k = 0; k < count; k++) {
        const g = step + k;
        const b = g % stepsPerEpoch;
        const position = b * o.batchSize;
        records.push({ epoch: epochBase + Math.floor(g / stepsPerEpoch), position, count: Math.min(o.batchSize, m - position), t: g + 1 });
        endsEpoch.push(b === stepsPerEpoch - 1);
      }
      steps.write(records);
      if (validation) validationSteps!.write(records.map((r) => ({ ...r, position: 0, count: validation.examples })));
      const firstEpoch = Math.floor(step / stepsPerEpoch); // first epoch that ends in this submit
      const epochsEnded = endsEpoch.filter(Boolean).length;
      let staging = live ? spare.pop() : undefined;
      if (live && !staging) {
        staging = ctx.device.createBuffer({ label: `${label} history readback`, size: stagingBytes, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
        stagings.push(staging);
      }
      const target = staging;
      let checkpointEpoch = -1;
      const boundary = endsEpoch.some((ends, k) => ends && (Math.floor((step + k) / stepsPerEpoch) + 1) % N === 0);
      const lastEnding = Math.floor((step + count) / stepsPerEpoch);
      if (checkpointBusy && boundary && (submits - checkpointSubmit >= 2 || lastEnding - lastCheckpoint > maxRows - epochsPerSubmit)) await checkpointing;
      const since = lastCheckpoint;
      await ctx.submit(`${label} steps ${step}–${step + count - 1}`, (enc) => {
        // The first checkpoint is Θ as the fit found it, taken with the first steps: no wait.
        if (checkpointStaging && step === 0) {
          copyCheckpoint(enc, 0, 0);
          checkpointBusy = true;
          checkpointEpoch = 0;
        }
        let pass = enc.beginComputePass({ label: `${label} steps` });
        records.forEach((_, k) => {
          const offset = k * steps!.stride;
          for (const g of gathers) encodeDispatch(pass, g, offset);
          for (const op of ops) op.encode(pass, offset);
          if (endsEpoch[k]) encodeDispatch(pass, epochEnd.dispatch, offset);
          encodeDispatch(pass, update.dispatch, offset);
          if (validationEnd && endsEpoch[k]) {
            const at = k * validationSteps!.stride;
            for (const op of validationOps) op.encode(pass, at);
            encodeDispatch(pass, validationEnd, at);
          }
          const done = Math.floor((step + k) / stepsPerEpoch) + 1;
          if (checkpointStaging && !checkpointBusy && endsEpoch[k] && done % N === 0 && done < o.epochs && done - since <= maxRows) {
            pass.end();
            copyCheckpoint(enc, since, done);
            checkpointBusy = true;
            checkpointEpoch = done;
            pass = enc.beginComputePass({ label: `${label} steps` });
          }
        });
        pass.end();
        const bytes = HISTORY_STRIDE * 4;
        if (target) enc.copyBufferToBuffer(state, 0, target, 0, STATE_SIZE * 4);
        if (epochsEnded > 0) {
          if (target) enc.copyBufferToBuffer(history, firstEpoch * bytes, target, STATE_SIZE * 4, epochsEnded * bytes);
          if (o.historyBuffer) enc.copyBufferToBuffer(history, firstEpoch * bytes, o.historyBuffer, firstEpoch * bytes, epochsEnded * bytes);
        }
      });
      step += count;
      submits++;
      epochsSubmitted = Math.floor(step / stepsPerEpoch);
      if (checkpointEpoch >= 0) {
        const epoch = checkpointEpoch;
        checkpointSubmit = submits;
        lastCheckpoint = epoch;
        checkpointing = checkpointStaging!.mapAsync(MapMode.READ).then(
          () => {
            const all = new Float32Array(checkpointStaging!.getMappedRange().slice(0));
            checkpointStaging!.unmap();
            checkpointBusy = false;
            const rows = Array.from({ length: epoch - since }, (_, i) => reportAt(all, P + K + HISTORY_STRIDE * i, since + i));
            checkpoint!(epoch, all.slice(0, P), rows, all.slice(P, P + K));
          },
          () => {}, // the device was lost or the run ended: no checkpoint
        );
      }
      if (!target) continue;
      const mapped = target.mapAsync(MapMode.READ);
      mapped.catch(() => {}); // a run that fails destroys its stagings mid-map; consume() reports real failures
      pending.push({ staging: target, mapped, firstEpoch, epochs: epochsEnded });
      // Double-buffered: record the next steps while the previous readback is in flight.
      if (pending.length >= 2) await consume(pending.shift()!);
    }
    for (const r of pending.splice(0)) await consume(r);
    if (ctx.lost) throw lostError(ctx, reports, Math.floor(step / stepsPerEpoch));
    if (!live) {
      const epochs = Math.floor(step / stepsPerEpoch);
      const final = ctx.device.createBuffer({ label: `${label} history readback`, size: (STATE_SIZE + HISTORY_STRIDE * epochs) * 4, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
      stagings.push(final);
      await ctx.submit(`${label} history`, (enc) => {
        enc.copyBufferToBuffer(state, 0, final, 0, STATE_SIZE * 4);
        if (epochs > 0) enc.copyBufferToBuffer(history, 0, final, STATE_SIZE * 4, epochs * HISTORY_STRIDE * 4);
      });
      await consume({ staging: final, mapped: final.mapAsync(MapMode.READ), firstEpoch: 0, epochs });
    }

    if (stopped) {
      await ctx.submit(`${label} restore`, (enc) => enc.copyBufferToBuffer(thetaGood, 0, program.theta, 0, P * 4));
      const last = reports[reports.length - 1];
      const good = stopped.restored >= 0 ? reports[stopped.restored] : undefined;
      throw new DivergenceError(
        `training diverged at epoch ${stopped.epoch}: the cost ${last && Number.isFinite(last.cost) ? `rose to ${last.cost}` : 'became NaN or infinite'}. ` +
          `The learning rate α = ${o.learningRate} is probably too large: try α = ${o.learningRate / 10}` +
          `${program.label === 'linear regression' ? ', and normalise the features' : ''}. ` +
          (good ? `The model keeps the parameters of epoch ${stopped.restored} (cost ${good.cost}).` : 'The model keeps its parameters from before this fit.'),
        stopped.epoch,
        stopped.restored,
        reports,
      );
    }
    await checkpointing;
    return { status: step >= totalSteps ? 'completed' : 'cancelled', epochs: reports.length, history: reports };
  } catch (e) {
    // A lost device shows up as whatever failed first (a map, an error scope): say what happened.
    if (e instanceof DivergenceError || e instanceof ArgumentError) throw e;
    if (ctx.lost || (await lostWithin(ctx.device, 200))) throw lostError(ctx, reports, epochsSubmitted);
    throw e;
  } finally {
    await checkpointing;
    o.signal?.removeEventListener('abort', abort);
    for (const b of stagings) b.destroy();
    for (const op of [...ops, ...validationOps]) op.destroy();
    steps?.destroy();
    validationSteps?.destroy();
    for (const b of created) ctx.release(b);
  }
}

/** Whether `device` is lost within `ms` milliseconds (its lost promise may settle after the error it caused). */
async function lostWithin(device: GPUDevice, ms: number): Promise<boolean> {
  return Promise.race([device.lost.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
}

function lostError(ctx: GpuContext, reports: EpochReport[], epochsSubmitted: number): DeviceLostError {
  const reason = ctx.lost?.reason ?? 'unknown';
  return new DeviceLostError(`the GPU device was lost during training (${reason}${ctx.lost?.message ? `: ${ctx.lost.message}` : ''})`, reason, undefined, reports, epochsSubmitted);
}
