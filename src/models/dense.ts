// What every model shares: a stack of dense layers z⁽ˡ⁺¹⁾ = Θ⁽ˡ⁾a⁽ˡ⁾ (matmul.wgsl, bias units
// included) with σ between them, and an output layer (output_delta.wgsl) that gives the
// hypothesis, each example's cost and δ⁽ᴸ⁾ = h − y. Backpropagation walks the layers in
// reverse: D⁽ˡ⁾ = δ⁽ˡ⁺¹⁾ᵀa⁽ˡ⁾ and δ⁽ˡ⁾ = δ⁽ˡ⁺¹⁾Θ⁽ˡ⁾ ⊙ a⁽ˡ⁾ ⊙ (1 − a⁽ˡ⁾), each one matmul dispatch.
// Linear, logistic and softmax regression are one layer and a head (./regression.ts); a
// neural network is several (./network.ts). All parameters live in one buffer, Θ⁽¹⁾ then
// Θ⁽²⁾ …, each s_{l+1} × (s_l + 1) row-major with the bias weights in column 0, so the
// scheduler's optimiser updates them in one dispatch.

import elementwiseLib from '../../shaders/lib/elementwise.wgsl?raw';
import sigmoidLib from '../../shaders/lib/sigmoid.wgsl?raw';
import stepLib from '../../shaders/lib/step.wgsl?raw';
import outputDeltaWgsl from '../../shaders/output_delta.wgsl?raw';
import type { GpuContext } from '../gpu/context.js';
import { toOnnx } from '../export/onnx.js';
import { ArgumentError, type Checkpoint, DeviceLostError, DivergenceError } from '../gpu/errors.js';
import { BufferUsage } from '../gpu/flags.js';
import { type Dispatch, type KernelSpec, encodeDispatch, grid1d } from '../gpu/kernel.js';
import { type GpuMatrix, isGpuBuffer } from '../gpu/matrix.js';
import { type MatmulOp, createMatmul } from '../kernels/matmul.js';
import type { HeadName } from '../reference/regression.js';
import { type FeaturesInput, GpuDataset, type HostExamples, type TargetKind, type Targets, type TargetsInput, readFeatures, readTargets } from '../train/dataset.js';
import { type EpochReport, type TrainOptions, resolveTrainOptions } from '../train/optimizer.js';
import { StepTable } from '../train/step-table.js';
import {
  type BatchBinding, type BatchOps, type GradientProgram, type TrainingResult, TrainingRun, createEpochEnd, createUpdate, fullBatch, runTraining,
} from '../train/trainer.js';

export const OUTPUT_DELTA: KernelSpec = { name: 'output_delta', sources: [elementwiseLib, sigmoidLib, stepLib, outputDeltaWgsl], dynamic: ['step'] };

const HEADS: Record<HeadName, number> = { linear: 0, logistic: 1, softmax: 2, sigmoid: 3 };

export interface DenseOptions {
  /**
   * Normalise features to zero mean and unit standard deviation, with statistics computed on
   * the GPU from the first training set and stored with the model (predictions on raw inputs
   * use them).
   */
  normalize?: boolean;
  /** Lowers the bytes one storage binding may hold (to split data into more chunks); default: the device's limit. */
  maxBindingBytes?: number;
}

/** Cost of the model on a data set: see the README's "which cost is which". */
export interface CostReport {
  /** The lecture's J(θ): Σᵢ cost⁽ⁱ⁾ + (λ/2) Σ θ² over non-bias weights (linear: ½ Σ (h − y)² + …). */
  total: number;
  /** total / m: comparable across data sizes, what training reports per epoch. */
  mean: number;
  /** Fraction labelled right; null for linear regression. */
  accuracy: number | null;
}

/** The saved form every model shares (each model adds its own format tag and fields). */
export interface DenseJSON {
  version: 1;
  /** [s₁, …, s_L]. */
  layers: number[];
  head: HeadName;
  /** Θ⁽¹⁾, Θ⁽²⁾ … flat, each s_{l+1} × (s_l + 1) row-major, in the normalised feature space when `normalization` is set. */
  theta: number[];
  normalization: { mean: number[]; std: number[] } | null;
  epochs: number;
}

type Normalization = { mean: ArrayLike<number>; std: ArrayLike<number> };

export abstract class DenseModel {
  private readonly normalize: boolean;
  private readonly maxBindingBytes: number | undefined;
  private n: number | undefined;
  private thetaBuffer: GPUBuffer | undefined;
  private decayBuffer: GPUBuffer | undefined;
  private statsBuffer: GPUBuffer | undefined;
  private statsReady = false;
  private epochsTrained = 0;
  private busy: TrainingRun | undefined;

  protected constructor(
    protected readonly ctx: GpuContext,
    protected readonly label: string,
    readonly head: HeadName,
    /** Units of each hidden layer, none for the regression family. */
    readonly hidden: readonly number[],
    /** K: units of the output layer (1 for linear and logistic regression). */
    readonly outputs: number,
    options: DenseOptions,
    defaultNormalize: boolean,
  ) {
    if (options === null || typeof options !== 'object') throw new ArgumentError('options', 'must be an object');
    this.normalize = options.normalize ?? defaultNormalize;
    if (typeof this.normalize !== 'boolean') throw new ArgumentError('options.normalize', `must be true or false, got ${String(options.normalize)}`);
    if (options.maxBindingBytes !== undefined && !(Number.isInteger(options.maxBindingBytes) && options.maxBindingBytes >= 16)) {
      throw new ArgumentError('options.maxBindingBytes', `must be an integer ≥ 16, got ${String(options.maxBindingBytes)}`);
    }
    this.maxBindingBytes = options.maxBindingBytes;
  }

  /** n, the number of features; undefined until the model has parameters. */
  get features(): number | undefined {
    return this.n;
  }

  /** [s₁, …, s_L] once n is known. */
  get layers(): number[] | undefined {
    return this.n === undefined ? undefined : [this.n, ...this.hidden, this.outputs];
  }

  /** Offset of each Θ⁽ˡ⁾ in the parameter buffer, and the total P. */
  protected static offsets(layers: readonly number[]): { offsets: number[]; total: number } {
    const offsets: number[] = [];
    let total = 0;
    for (let l = 0; l + 1 < layers.length; l++) {
      offsets.push(total);
      total += layers[l + 1]! * (layers[l]! + 1);
    }
    return { offsets, total };
  }

  /** The widest row any per-example buffer has, so chunks are sized for all of them. */
  private widest(): number {
    return Math.max(this.outputs, ...this.hidden.map((s) => s + 1));
  }

  /** What y holds: any value (linear), a label 0/1 (logistic), a class 0…K−1 (softmax, K sigmoid units). */
  private targetKind(): TargetKind {
    if (this.head === 'linear') return { kind: 'real' };
    if (this.head === 'logistic') return { kind: 'binary' };
    return { kind: 'class', classes: this.outputs };
  }

  /**
   * Allocates Θ (from `initial`, or zeros), the decay mask (0 on every bias column) and the
   * statistics for n features. Nothing happens when the model already has n features.
   */
  protected allocate(n: number, initial?: Float32Array<ArrayBuffer>): void {
    if (this.n !== undefined) return;
    const layers = [n, ...this.hidden, this.outputs];
    const { offsets, total: P } = DenseModel.offsets(layers);
    const usage = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
    this.thetaBuffer = this.ctx.createBuffer(`${this.label} θ`, P * 4, usage);
    this.decayBuffer = this.ctx.createBuffer(`${this.label} decay mask`, P * 4, usage);
    this.statsBuffer = this.ctx.createBuffer(`${this.label} feature statistics`, 4 * n * 4, usage);
    const decay = new Float32Array(P).fill(1);
    offsets.forEach((at, l) => {
      const cols = layers[l]! + 1;
      for (let k = 0; k < layers[l + 1]!; k++) decay[at + k * cols] = 0; // θ₀: the bias weights
    });
    this.ctx.device.queue.writeBuffer(this.thetaBuffer, 0, initial ?? new Float32Array(P));
    this.ctx.device.queue.writeBuffer(this.decayBuffer, 0, decay);
    this.ctx.device.queue.writeBuffer(this.statsBuffer, 0, new Float32Array(4 * n).fill(1));
    this.n = n;
  }

  private program(): GradientProgram {
    if (!this.thetaBuffer || !this.decayBuffer || this.n === undefined) throw new Error(`${this.label}: not allocated`);
    return {
      label: this.label,
      parameters: DenseModel.offsets(this.layers!).total,
      theta: this.thetaBuffer,
      decay: this.decayBuffer,
      hasAccuracy: this.head !== 'linear',
      keep: this.normalize ? this.statsBuffer : undefined,
      bindBatch: (b) => this.bindBatch(b),
    };
  }

  /**
   * Forward propagation, the output layer, and backpropagation for a batch (or one chunk of a
   * full batch), built once: every buffer and dispatch is made here and reused every step.
   */
  private async bindBatch(b: BatchBinding, predict = false): Promise<BatchOps & { output?: GPUBuffer }> {
    const ctx = this.ctx;
    const layers = this.layers!;
    const L = layers.length;
    const K = this.outputs;
    const rows = b.x.rows;
    const { offsets } = DenseModel.offsets(layers);
    const theta = this.thetaBuffer!;
    const usage = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
    const owned: GPUBuffer[] = [];
    const ops: MatmulOp[] = [];
    const make = (name: string, floats: number) => {
      const buf = ctx.createBuffer(`${b.label} ${name}`, floats * 4, usage);
      owned.push(buf);
      return buf;
    };
    try {
      // a⁽ˡ⁾ for the hidden layers, B × (s_l + 1) with the bias unit a₀ = 1 in column 0, written once.
      const activations: GpuMatrix[] = [b.x];
      for (let l = 1; l + 1 < L; l++) {
        const cols = layers[l]! + 1;
        const buf = make(`a${l + 1}`, rows * cols);
        const ones = new Float32Array(rows * cols);
        for (let i = 0; i < rows; i++) ones[i * cols] = 1;
        ctx.device.queue.writeBuffer(buf, 0, ones);
        activations.push({ buffer: buf, rows, cols });
      }
      const z = make(`z${L}`, rows * K);
      const e = make(predict ? 'h' : `δ${L}`, rows * K);
      const thetaView = (l: number): GpuMatrix => ({ buffer: theta, rows: layers[l + 1]!, cols: layers[l]! + 1, offset: offsets[l]! });

      // Forward: a⁽ˡ⁺¹⁾ = σ(a⁽ˡ⁾Θ⁽ˡ⁾ᵀ) into columns 1… of the next activation; the last layer's z stays raw for the head.
      const forward: MatmulOp[] = [];
      for (let l = 0; l + 1 < L; l++) {
        const last = l + 2 === L;
        const out: GpuMatrix = last ? { buffer: z, rows, cols: K } : { ...activations[l + 1]!, cols: layers[l + 1]!, offset: 1, stride: layers[l + 1]! + 1 };
        forward.push(await createMatmul(ctx, out, activations[l]!, thetaView(l), { transB: true, activation: last ? 'identity' : 'sigmoid' }));
      }
      ops.push(...forward);

      const kernel = ctx.kernel(OUTPUT_DELTA);
      const params = ctx.createUniform(`${b.label} output params`, kernel.params({ rows, classes: K, y_offset: b.y.offset ?? 0, row_offset: b.rowOffset }));
      owned.push(params);
      const head: Dispatch = {
        label: `${b.label} output δ`,
        pipeline: await kernel.pipeline({ HEAD: HEADS[this.head], PREDICT: predict }),
        bindGroups: kernel.bindGroups({ z, y: b.y.buffer, e, loss: b.loss, correct: b.correct, params, step: b.steps.binding }, `${b.label} output δ`),
        // Past the grid's width the rows fold into y (output_delta.wgsl rebuilds the index).
        workgroups: grid1d(rows, 64, ctx.limits.maxComputeWorkgroupsPerDimension, 'x'),
        dynamicGroup: kernel.dynamicGroup,
      };

      // Backward, from the last layer to the first: D⁽ˡ⁾ (+)= δ⁽ˡ⁺¹⁾ᵀa⁽ˡ⁾, then δ⁽ˡ⁾ = δ⁽ˡ⁺¹⁾Θ⁽ˡ⁾[:, 1:] ⊙ σ'(a⁽ˡ⁾).
      const backward: MatmulOp[] = [];
      if (!predict && !b.forwardOnly) {
        let delta: GpuMatrix = { buffer: e, rows, cols: K };
        for (let l = L - 2; l >= 0; l--) {
          const grad: GpuMatrix = { buffer: b.grad, rows: layers[l + 1]!, cols: layers[l]! + 1, offset: offsets[l]! };
          backward.push(await createMatmul(ctx, grad, delta, activations[l]!, { transA: true, beta: b.accumulate ? 1 : 0 }));
          if (l === 0) break;
          const s = layers[l]!;
          const next: GpuMatrix = { buffer: make(`δ${l + 1}`, rows * s), rows, cols: s };
          const weights: GpuMatrix = { buffer: theta, rows: layers[l + 1]!, cols: s, offset: offsets[l]! + 1, stride: s + 1 };
          const gate: GpuMatrix = { ...activations[l]!, cols: s, offset: 1, stride: s + 1 };
          backward.push(await createMatmul(ctx, next, delta, weights, { activation: 'sigmoidGradient', gate }));
          delta = next;
        }
      }
      ops.push(...backward);
      return {
        encode: (pass, offset) => {
          for (const op of forward) op.encode(pass);
          encodeDispatch(pass, head, offset);
          for (const op of backward) op.encode(pass);
        },
        destroy: () => {
          for (const op of ops) op.destroy();
          for (const buf of owned) ctx.release(buf);
        },
        output: predict ? e : undefined,
      };
    } catch (err) {
      for (const op of ops) op.destroy();
      for (const buf of owned) ctx.release(buf);
      throw err;
    }
  }

  private upload(x: HostExamples, y: Targets | undefined, computeStats: boolean): Promise<GpuDataset> {
    return GpuDataset.upload(this.ctx, this.label, x, y, {
      normalize: this.normalize,
      stats: this.statsBuffer!,
      computeStats,
      outputs: this.widest(),
      maxBindingBytes: this.maxBindingBytes,
    });
  }

  /**
   * Trains the model on x (m examples of n features) and y (m targets) on the GPU. Returns a
   * run: await it for the history; pause(), resume(), cancel() it. Throws (rejects with)
   * ArgumentError for bad input before anything changes, and DivergenceError when the cost
   * grows or stops being finite — the model then keeps its best epoch's parameters. If the GPU
   * device is lost, a context that requested its own device gets a new one and training goes
   * on from the last checkpoint (options.checkpointEvery); otherwise it rejects with a
   * DeviceLostError carrying that checkpoint.
   */
  fit(x: FeaturesInput, y: TargetsInput, options: TrainOptions = {}): TrainingRun {
    if (this.busy) throw new Error(`${this.label}: already training; await or cancel the current run first`);
    const X = readFeatures('x', x, this.n);
    const Y = readTargets('y', y, X.rows, this.targetKind());
    const o = resolveTrainOptions(options, X.rows);
    const v = options.validation;
    if (v !== undefined && (v === null || typeof v !== 'object')) throw new ArgumentError('options.validation', 'must be { x, y }');
    const VX = v && readFeatures('options.validation.x', v.x, X.cols);
    const VY = v && readTargets('options.validation.y', v.y, VX!.rows, this.targetKind());
    // Data the caller holds on the GPU is gone with a lost device: such a fit cannot recover.
    const onGpu = !!X.gpu || !(Y instanceof Float32Array) || !!VX?.gpu || (VY !== undefined && !(VY instanceof Float32Array)) || !!o.historyBuffer;
    const run = new TrainingRun(async (r) => {
      this.allocate(X.cols);
      const start = this.epochsTrained;
      const history: EpochReport[] = [];
      let done = 0; // epochs of this fit kept (before a loss: up to the checkpoint)
      let recoveries = 0;
      let repeatedEpochs = 0;
      let checkpoint: Checkpoint | undefined;
      for (;;) {
        const first = !this.statsReady && this.normalize;
        let data: GpuDataset | undefined;
        let held: GpuDataset | undefined;
        const offset = done;
        const renumber = (rep: EpochReport): EpochReport => ({ ...rep, epoch: rep.epoch + offset });
        try {
          data = await this.upload(X, Y, first);
          if (first) this.statsReady = true;
          // After the training set, so its normalisation statistics exist to apply.
          if (VX) held = await this.upload(VX, VY, false);
          const n = X.cols;
          const result = await runTraining(
            this.ctx, this.program(), data,
            { ...o, epochs: o.epochs - offset, onEpoch: o.onEpoch && ((rep) => o.onEpoch!(renumber(rep))) },
            start + offset, r, held,
            (epoch, theta, rows, stats) => {
              const kept = checkpoint && checkpoint.epoch >= offset ? checkpoint.history : history;
              const normalization = stats.length ? { mean: Float64Array.from(stats.subarray(n, 2 * n)), std: Float64Array.from(stats.subarray(3 * n, 4 * n)) } : null;
              checkpoint = { epoch: offset + epoch, theta, normalization, history: [...kept.slice(0, epoch + offset), ...rows.map(renumber)] };
              if (epoch > 0) o.onCheckpoint?.({ epoch: offset + epoch, theta });
            },
          );
          history.push(...result.history.map(renumber));
          this.epochsTrained = start + offset + result.epochs;
          return { status: result.status, epochs: history.length, history, recoveries, repeatedEpochs };
        } catch (e) {
          if (e instanceof DivergenceError) {
            this.epochsTrained = start + offset + e.history.length;
            throw e;
          }
          if (!(e instanceof DeviceLostError)) throw e;
          const seen = [...history, ...e.history.map(renumber)];
          const why = !this.ctx.ownsDevice ? 'the device belongs to the app' : onGpu ? 'the data were in GPU buffers of the lost device' : !checkpoint ? 'no checkpoint was taken' : recoveries >= 3 ? 'it was lost three times' : '';
          if (why) {
            throw new DeviceLostError(`${e.message}; training cannot go on by itself (${why}): restore the checkpoint on a model of a new context and fit the remaining epochs`, e.reason, checkpoint, seen);
          }
          const ck = checkpoint!;
          await this.ctx.recover();
          this.rebuild(ck);
          recoveries++;
          repeatedEpochs += Math.max(0, seen.length - ck.epoch);
          // The reports up to the checkpoint come with it, whether or not onEpoch read them.
          history.splice(0, history.length, ...ck.history);
          done = ck.epoch;
        } finally {
          data?.destroy();
          held?.destroy();
        }
      }
    });
    this.busy = run;
    run.done.then(
      () => (this.busy = undefined),
      () => (this.busy = undefined),
    );
    return run;
  }

  private checkAllocated(): number {
    if (this.n === undefined) throw new Error(`${this.label}: the model has no parameters yet; fit it, set its parameters or load it first`);
    return this.n;
  }

  private checkTrained(): number {
    const n = this.checkAllocated();
    if (this.busy) throw new Error(`${this.label}: training is running; await it first`);
    return n;
  }

  /** One full pass over (x, y) without updating: what cost(), gradient() and hypothesis() share. */
  private async pass<T>(
    x: FeaturesInput,
    y: TargetsInput | undefined,
    mode: 'cost' | 'gradient' | 'predict',
    lambda: number,
    finish: (out: { m: number; history: GPUBuffer; grad: GPUBuffer; outputs: GPUBuffer[] }) => Promise<T>,
    /** Cost mode: evaluate at each of these Θ in turn (history slot 2i), then restore Θ. */
    variants?: readonly Float32Array<ArrayBuffer>[],
  ): Promise<T> {
    const n = this.checkTrained();
    const X = readFeatures('x', x, n);
    const Y = y === undefined ? undefined : readTargets('y', y, X.rows, this.targetKind());
    if (!(Number.isFinite(lambda) && lambda >= 0)) throw new ArgumentError('options.lambda', `must be a finite number ≥ 0, got ${lambda}`);
    const ctx = this.ctx;
    const program = this.program();
    const data = await this.upload(X, Y, false);
    const m = X.rows;
    const runs = variants?.length ?? 1;
    const usage = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
    const made = (name: string, floats: number) => ctx.createBuffer(`${this.label} ${mode} ${name}`, floats * 4, usage);
    const buffers = {
      grad: made('gradient', program.parameters),
      loss: made('example costs', m),
      correct: made('example correct', m),
      history: made('result', 2 * runs),
      state: made('state', 8),
      thetaGood: made('θ copy', program.parameters),
      moments: made('moments', 1),
    };
    ctx.device.queue.writeBuffer(buffers.state, 0, new Float32Array(8));
    const steps = new StepTable(ctx, runs, `${this.label} ${mode}`);
    steps.write(Array.from({ length: runs }, (_, i) => ({ epoch: i, position: 0, count: m, t: 1 })));
    const ops: (BatchOps & { output?: GPUBuffer })[] = [];
    const uniforms: GPUBuffer[] = [];
    try {
      for (const binding of fullBatch(data, `${this.label} ${mode}`, { grad: buffers.grad, loss: buffers.loss, correct: buffers.correct, steps })) {
        ops.push(await this.bindBatch(binding, mode === 'predict'));
      }
      const tail: Dispatch[] = [];
      if (mode === 'cost') {
        const end = await createEpochEnd(
          ctx, program, true,
          { examples: m, lambda, tolerance: 0, patience: 1, firstEpoch: 0, historyStride: 2, historyOffset: 0 },
          { ...buffers, steps },
        );
        uniforms.push(end.params);
        tail.push(end.dispatch);
      } else if (mode === 'gradient') {
        const update = await createUpdate(ctx, program, 'gradient', { learningRate: 1, lambdaOverM: lambda / m, beta1: 0, beta2: 0, epsilon: 1 }, { ...buffers, steps });
        uniforms.push(update.params);
        tail.push(update.dispatch);
      }
      const once = (offset: number) =>
        ctx.submit(`${this.label} ${mode}`, (enc) => {
          const p = enc.beginComputePass({ label: `${this.label} ${mode}` });
          for (const op of ops) op.encode(p, offset);
          for (const d of tail) encodeDispatch(p, d, offset);
          p.end();
        });
      if (!variants) await once(0);
      else {
        // Every variant queued without a readback in between; Θ is put back afterwards.
        const P = program.parameters;
        await ctx.submit(`${this.label} keep θ`, (enc) => enc.copyBufferToBuffer(program.theta, 0, buffers.thetaGood, 0, P * 4));
        try {
          for (const [i, v] of variants.entries()) {
            ctx.device.queue.writeBuffer(program.theta, 0, v);
            await once(i * steps.stride);
          }
        } finally {
          await ctx.submit(`${this.label} restore θ`, (enc) => enc.copyBufferToBuffer(buffers.thetaGood, 0, program.theta, 0, P * 4));
        }
      }
      return await finish({ m, history: buffers.history, grad: buffers.grad, outputs: ops.map((op) => op.output!) });
    } finally {
      for (const op of ops) op.destroy();
      for (const b of [...Object.values(buffers), ...uniforms]) ctx.release(b);
      steps.destroy();
      data.destroy();
    }
  }

  /** J/m on (x, y) at each Θ of `variants` (flat, like getTheta()), all queued at once; Θ is unchanged after. */
  protected async costsAt(x: FeaturesInput, y: TargetsInput, lambda: number, variants: readonly Float32Array<ArrayBuffer>[]): Promise<Float64Array> {
    if (variants.length === 0) return new Float64Array(0);
    return this.pass(x, y, 'cost', lambda, async ({ history }) => {
      const h = await this.ctx.read(history, 0, 2 * variants.length);
      return Float64Array.from(variants, (_, i) => h[2 * i]!);
    }, variants);
  }

  /** J on (x, y) at the current parameters, with penalty λ (default 0). */
  async cost(x: FeaturesInput, y: TargetsInput, options: { lambda?: number } = {}): Promise<CostReport> {
    return this.pass(x, y, 'cost', options.lambda ?? 0, async ({ m, history }) => {
      const [mean, accuracy] = await this.ctx.read(history, 0, 2);
      return { total: mean! * m, mean: mean!, accuracy: this.head === 'linear' ? null : accuracy! };
    });
  }

  /** ∂(J/m)/∂Θ on (x, y), flat like getTheta() (D⁽¹⁾, D⁽²⁾ …): what one step of batch gradient descent follows. */
  async gradient(x: FeaturesInput, y: TargetsInput, options: { lambda?: number } = {}): Promise<Float64Array> {
    return this.pass(x, y, 'gradient', options.lambda ?? 0, async ({ grad }) => Float64Array.from(await this.ctx.read(grad)));
  }

  /** The hypothesis h for each example, m × K row-major (values, probabilities of 1, or class probabilities). */
  protected async hypothesis(x: FeaturesInput): Promise<Float32Array> {
    return this.pass(x, undefined, 'predict', 0, async ({ outputs }) => {
      const parts = await Promise.all(outputs.map((b) => this.ctx.read(b)));
      const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    });
  }

  /**
   * Writes the hypothesis h for each example of x (m × K float32, row-major: what
   * predictProbabilities returns, or linear regression's predictions) into the caller's
   * `buffer` (COPY_DST usage) from element `offset`, on the GPU, with no readback: for plots
   * drawn straight from the buffer. Resolves once the work is queued.
   */
  async predictInto(x: FeaturesInput, target: { buffer: GPUBuffer; offset?: number }): Promise<void> {
    const n = this.checkTrained();
    const rows = readFeatures('x', x, n).rows;
    const buffer = target?.buffer;
    const offset = target?.offset ?? 0;
    if (!isGpuBuffer(buffer) || !(buffer.usage & BufferUsage.COPY_DST)) {
      throw new ArgumentError('target.buffer', 'must be a GPUBuffer with COPY_DST usage');
    }
    if (!Number.isInteger(offset) || offset < 0) throw new ArgumentError('target.offset', `must be an integer ≥ 0, got ${offset}`);
    const floats = rows * this.outputs;
    if ((offset + floats) * 4 > buffer.size) {
      throw new ArgumentError('target.buffer', `holds ${buffer.size / 4} floats; ${rows} predictions of ${this.outputs} from element ${offset} need ${offset + floats}`);
    }
    await this.pass(x, undefined, 'predict', 0, async ({ outputs }) => {
      await this.ctx.submit(`${this.label} predict into`, (enc) => {
        let at = offset * 4;
        for (const out of outputs) {
          enc.copyBufferToBuffer(out, 0, buffer, at, out.size);
          at += out.size;
        }
      });
    });
  }

  /**
   * Θ⁽ˡ⁾ (l = 1 … L − 1) where it lives on the GPU: a view of the model's parameter buffer,
   * s_{l+1} rows of s_l + 1 floats, bias weights in column 0 — for drawing it (src/plot) with no
   * readback, e.g. the first layer's rows as 20×20 tiles. Training updates it in place. Read it,
   * do not write it; it is valid until the model is destroyed.
   */
  weightsView(layer = 1): GpuMatrix {
    this.checkAllocated();
    const layers = this.layers!;
    if (!Number.isInteger(layer) || layer < 1 || layer >= layers.length) {
      throw new ArgumentError('layer', `must be an integer from 1 to ${layers.length - 1}, got ${layer}`);
    }
    return { buffer: this.thetaBuffer!, rows: layers[layer]!, cols: layers[layer - 1]! + 1, offset: DenseModel.offsets(layers).offsets[layer - 1]! };
  }

  /** Θ⁽¹⁾, Θ⁽²⁾ … flat (see DenseJSON.theta), in the space the model computes in. */
  async getTheta(): Promise<Float64Array> {
    this.checkTrained();
    return Float64Array.from(await this.ctx.read(this.thetaBuffer!));
  }

  /** μ and σ of each feature, or null when the model does not normalise (or has not been fitted). */
  async getNormalization(): Promise<{ mean: Float64Array; std: Float64Array } | null> {
    const n = this.checkTrained();
    if (!this.normalize || !this.statsReady) return null;
    const s = await this.ctx.read(this.statsBuffer!);
    return { mean: Float64Array.from(s.subarray(n, 2 * n)), std: Float64Array.from(s.subarray(3 * n, 4 * n)) };
  }

  /**
   * Sets every parameter (flat, as getTheta() returns them) and optionally the normalisation.
   * Checked first; nothing changes on an error. A model that normalises needs `normalization`
   * until it has statistics of its own.
   */
  setTheta(theta: ArrayLike<number>, normalization?: Normalization): void {
    if (this.busy) throw new Error(`${this.label}: training is running; await it first`);
    if (!theta || typeof theta.length !== 'number') throw new ArgumentError('theta', 'must be an array of numbers');
    const n = this.n ?? this.featuresFor(theta.length);
    const P = DenseModel.offsets([n, ...this.hidden, this.outputs]).total;
    if (theta.length !== P) throw new ArgumentError('theta', `must hold ${P} values for ${n} features, got ${theta.length}`);
    const values = new Float32Array(P);
    for (let i = 0; i < P; i++) {
      const v = theta[i];
      if (typeof v !== 'number' || !Number.isFinite(Math.fround(v))) throw new ArgumentError(`theta[${i}]`, `must be a finite number, got ${String(v)}`);
      values[i] = v;
    }
    let stats: Float32Array<ArrayBuffer> | undefined;
    if (normalization) {
      if (!this.normalize) throw new ArgumentError('normalization', 'given to a model created with normalize: false');
      const { mean, std } = normalization;
      if (mean?.length !== n || std?.length !== n) throw new ArgumentError('normalization', `mean and std must have ${n} values each`);
      stats = new Float32Array(4 * n);
      for (let j = 0; j < n; j++) {
        const mu = mean[j]!;
        const sd = std[j]!;
        if (!Number.isFinite(mu)) throw new ArgumentError(`normalization.mean[${j}]`, `must be finite, got ${mu}`);
        if (!(Number.isFinite(sd) && sd > 0)) throw new ArgumentError(`normalization.std[${j}]`, `must be finite and > 0, got ${sd}`);
        stats[n + j] = mu;
        stats[3 * n + j] = sd;
      }
    } else if (this.normalize && !this.statsReady) {
      throw new ArgumentError('normalization', 'is needed: this model normalises its features and has no statistics yet (pass { mean, std })');
    }
    this.allocate(n);
    this.ctx.device.queue.writeBuffer(this.thetaBuffer!, 0, values);
    if (stats) {
      this.ctx.device.queue.writeBuffer(this.statsBuffer!, 0, stats);
      this.statsReady = true;
    }
  }

  /** n for a model without parameters yet, from a flat Θ's length: P = K(n + 1) + … is linear in n. */
  private featuresFor(count: number): number {
    const first = this.hidden[0] ?? this.outputs;
    const rest = DenseModel.offsets([1, ...this.hidden, this.outputs]).total - 2 * first; // P at n = 1, less layer 1's share
    const n = (count - rest) / first - 1;
    if (!Number.isInteger(n) || n < 1) {
      throw new ArgumentError('theta', `holds ${count} values, which fits no number of features for layers ${['n', ...this.hidden, this.outputs].join('-')}`);
    }
    return n;
  }

  /** The shared part of the saved form. */
  protected async saveDense(): Promise<DenseJSON> {
    this.checkTrained();
    const norm = await this.getNormalization();
    return {
      version: 1,
      layers: this.layers!,
      head: this.head,
      theta: Array.from(await this.getTheta()),
      normalization: norm && { mean: Array.from(norm.mean), std: Array.from(norm.std) },
      epochs: this.epochsTrained,
    };
  }

  /**
   * The model as an ONNX file (opset 13): input "x" [batch, n] float32, output "h" [batch, K] —
   * what predictProbabilities (linear regression: predict) returns. See src/export/onnx.ts.
   */
  async toONNX(): Promise<Uint8Array> {
    const saved = await this.saveDense();
    return toOnnx(saved, this.label);
  }

  /**
   * Checks a saved model on the CPU before anything is allocated: its shape (at most 64 layers
   * of at most 2²⁴ units), that Θ holds exactly the values the layers declare — so nothing is
   * ever sized from a declared size alone — and that every number is finite. A file may be
   * hostile: keys such as __proto__ are plain data here, never merged into objects.
   */
  static checkSaved(json: unknown, format: string): DenseJSON {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new ArgumentError('json', 'must be an object (a saved model)');
    const j = json as Record<string, unknown>;
    if (j.format !== format) throw new ArgumentError('json.format', `must be '${format}', got ${JSON.stringify(j.format)?.slice(0, 80)}`);
    if (j.version !== 1) throw new ArgumentError('json.version', `${String(j.version)} is not supported (this library reads version 1)`);
    if (!['linear', 'logistic', 'softmax', 'sigmoid'].includes(j.head as string)) throw new ArgumentError('json.head', `must be linear, logistic, softmax or sigmoid, got ${JSON.stringify(j.head)?.slice(0, 80)}`);
    const layers = j.layers;
    if (!Array.isArray(layers) || layers.length < 2 || layers.length > 64 || !layers.every((s) => Number.isInteger(s) && s >= 1 && s <= 1 << 24)) {
      throw new ArgumentError('json.layers', 'must be 2 to 64 layer sizes, each an integer from 1 to 2²⁴');
    }
    const theta = j.theta;
    if (!Array.isArray(theta)) throw new ArgumentError('json.theta', 'must be an array of numbers');
    let P = 0;
    for (let l = 0; l + 1 < layers.length; l++) P += (layers[l + 1] as number) * ((layers[l] as number) + 1);
    if (theta.length !== P) throw new ArgumentError('json.theta', `holds ${theta.length} values; layers ${layers.join('-')} need ${P}`);
    for (let i = 0; i < P; i++) {
      const v = theta[i];
      if (typeof v !== 'number' || !Number.isFinite(Math.fround(v))) throw new ArgumentError(`json.theta[${i}]`, `must be a finite number, got ${JSON.stringify(v)?.slice(0, 40)}`);
    }
    const norm = j.normalization;
    if (norm !== null && norm !== undefined) {
      const { mean, std } = norm as { mean?: unknown; std?: unknown };
      const n = layers[0] as number;
      if (!Array.isArray(mean) || !Array.isArray(std) || mean.length !== n || std.length !== n) throw new ArgumentError('json.normalization', `must be { mean, std } of ${n} numbers each`);
      mean.forEach((v, i) => {
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(`json.normalization.mean[${i}]`, 'must be a finite number');
      });
      std.forEach((v, i) => {
        if (typeof v !== 'number' || !(Number.isFinite(v) && v > 0)) throw new ArgumentError(`json.normalization.std[${i}]`, 'must be a finite number > 0');
      });
    }
    return {
      version: 1, layers: layers as number[], head: j.head as HeadName, theta: theta as number[],
      normalization: (norm ?? null) as DenseJSON['normalization'],
      epochs: Number.isInteger(j.epochs) && (j.epochs as number) >= 0 ? (j.epochs as number) : 0,
    };
  }

  /** Restores what saveDense() wrote into this new model; checks everything first. */
  protected restoreDense(json: DenseJSON): void {
    if (json.version !== 1) throw new ArgumentError('json.version', `${json.version} is not supported (this library reads version 1)`);
    if (json.head !== this.head) throw new ArgumentError('json.head', `is ${json.head}, not ${this.head}`);
    const layers = json.layers;
    if (!Array.isArray(layers) || layers.length !== this.hidden.length + 2 || layers.slice(1).some((s, l) => s !== [...this.hidden, this.outputs][l])) {
      throw new ArgumentError('json.layers', `are ${JSON.stringify(layers)}, this model has n-${[...this.hidden, this.outputs].join('-')}`);
    }
    if (!Number.isInteger(layers[0]) || layers[0]! < 1) throw new ArgumentError('json.layers[0]', `must be an integer ≥ 1, got ${layers[0]}`);
    if (!!json.normalization !== this.normalize) throw new ArgumentError('json.normalization', `does not match normalize: ${this.normalize}`);
    if (this.n !== undefined && this.n !== layers[0]) throw new ArgumentError('json.layers[0]', `is ${layers[0]}, this model has ${this.n} features`);
    this.setTheta(json.theta ?? [], json.normalization ?? undefined);
    this.epochsTrained = Number.isInteger(json.epochs) && json.epochs >= 0 ? json.epochs : 0;
  }

  /**
   * Puts a checkpoint back: Θ (and the normalisation) from the CPU into new buffers — after the
   * device was lost, on the context's new device — or into this model of a new context.
   */
  restoreCheckpoint(checkpoint: Checkpoint): void {
    if (!checkpoint || !(checkpoint.theta instanceof Float32Array)) throw new ArgumentError('checkpoint', 'must be a Checkpoint (a DeviceLostError carries one)');
    if (this.busy) throw new Error(`${this.label}: training is running; await it first`);
    this.rebuild(checkpoint);
  }

  /** New Θ, decay and statistics buffers from a CPU checkpoint (the old ones may be on a lost device). */
  private rebuild(checkpoint: Checkpoint): void {
    const n = this.n ?? this.featuresFor(checkpoint.theta.length);
    const P = DenseModel.offsets([n, ...this.hidden, this.outputs]).total;
    if (checkpoint.theta.length !== P) throw new ArgumentError('checkpoint.theta', `must hold ${P} values for this model, got ${checkpoint.theta.length}`);
    for (const b of [this.thetaBuffer, this.decayBuffer, this.statsBuffer]) if (b) this.ctx.release(b);
    this.thetaBuffer = this.decayBuffer = this.statsBuffer = undefined;
    this.n = undefined;
    this.allocate(n, Float32Array.from(checkpoint.theta));
    if (checkpoint.normalization) {
      const stats = new Float32Array(4 * n);
      stats.set(checkpoint.normalization.mean, n);
      stats.set(checkpoint.normalization.std, 3 * n);
      this.ctx.device.queue.writeBuffer(this.statsBuffer!, 0, stats);
      this.statsReady = true;
    } else if (this.normalize) this.statsReady = false;
  }

  /** Frees every GPU buffer the model made (its Θ, decay mask, statistics). Same as destroy(). */
  dispose(): void {
    this.destroy();
  }

  /** Frees the model's GPU buffers. */
  destroy(): void {
    for (const b of [this.thetaBuffer, this.decayBuffer, this.statsBuffer]) if (b) this.ctx.release(b);
    this.thetaBuffer = this.decayBuffer = this.statsBuffer = undefined;
    this.n = undefined;
  }
}
