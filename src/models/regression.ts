// The regression family as one model: a dense layer z = Θᵀx̃ (matmul.wgsl) and a head
// (regression_head.wgsl) that turns z into the hypothesis, each example's cost, and the error
// h − y that backward multiplies into the gradient x̃ᵀ(h − y)/m (matmul.wgsl again, Aᵀ).
// Linear, logistic and softmax regression (./linear.ts, ./logistic.ts, ./softmax.ts) only
// choose the head, check their targets and shape what predict returns.

import elementwiseLib from '../../shaders/lib/elementwise.wgsl?raw';
import sigmoidLib from '../../shaders/lib/sigmoid.wgsl?raw';
import stepLib from '../../shaders/lib/step.wgsl?raw';
import regressionHeadWgsl from '../../shaders/regression_head.wgsl?raw';
import type { GpuContext } from '../gpu/context.js';
import { ArgumentError } from '../gpu/errors.js';
import { BufferUsage } from '../gpu/flags.js';
import { type Dispatch, type KernelSpec, encodeDispatch } from '../gpu/kernel.js';
import { createMatmul } from '../kernels/matmul.js';
import type { HeadName } from '../reference/regression.js';
import { type FeaturesInput, GpuDataset, type HostExamples, type TargetKind, readFeatures, readTargets } from '../train/dataset.js';
import { type TrainOptions, resolveTrainOptions } from '../train/optimizer.js';
import { StepTable } from '../train/step-table.js';
import {
  type BatchBinding, type BatchOps, type GradientProgram, type TrainingResult, TrainingRun, createEpochEnd, createUpdate, runTraining,
} from '../train/trainer.js';

export const REGRESSION_HEAD: KernelSpec = { name: 'regression_head', sources: [elementwiseLib, sigmoidLib, stepLib, regressionHeadWgsl], dynamic: ['step'] };

const HEADS: Record<HeadName, number> = { linear: 0, logistic: 1, softmax: 2 };
const NAMES: Record<HeadName, string> = { linear: 'linear regression', logistic: 'logistic regression', softmax: 'softmax regression' };

export interface RegressionOptions {
  /**
   * Normalise features to zero mean and unit standard deviation, with statistics computed on
   * the GPU from the first training set and stored with the model (predictions on raw inputs
   * use them). Default true.
   */
  normalize?: boolean;
  /** Lowers the bytes one storage binding may hold (to split data into more chunks); default: the device's limit. */
  maxBindingBytes?: number;
}

/** The model as JSON (`toJSON()` / `load()`). */
export interface RegressionJSON {
  format: 'wgsl-learn/regression';
  version: 1;
  head: HeadName;
  features: number;
  classes: number;
  /** Θ row-major, (n + 1) × K, in the normalised feature space when `normalization` is set. */
  theta: number[];
  normalization: { mean: number[]; std: number[] } | null;
  epochs: number;
}

/** Cost of the model on a data set: see the README's "which cost is which". */
export interface CostReport {
  /** The lecture's J(θ): Σᵢ cost⁽ⁱ⁾ + (λ/2) Σⱼ≥₁ θⱼ² (linear: ½ Σ (h − y)² + …). */
  total: number;
  /** total / m: comparable across data sizes, what training reports per epoch. */
  mean: number;
  /** Fraction labelled right; null for linear regression. */
  accuracy: number | null;
}

export abstract class RegressionModel {
  protected readonly label: string;
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
    readonly head: HeadName,
    /** K: 1 for linear and logistic regression, the number of classes for softmax. */
    readonly outputs: number,
    options: RegressionOptions,
  ) {
    if (options === null || typeof options !== 'object') throw new ArgumentError('options', 'must be an object');
    this.label = NAMES[head];
    this.normalize = options.normalize ?? true;
    if (typeof this.normalize !== 'boolean') throw new ArgumentError('options.normalize', `must be true or false, got ${String(options.normalize)}`);
    if (options.maxBindingBytes !== undefined && !(Number.isInteger(options.maxBindingBytes) && options.maxBindingBytes >= 16)) {
      throw new ArgumentError('options.maxBindingBytes', `must be an integer ≥ 16, got ${String(options.maxBindingBytes)}`);
    }
    this.maxBindingBytes = options.maxBindingBytes;
  }

  /** n, the number of features; undefined until the first fit, setParameters or load. */
  get features(): number | undefined {
    return this.n;
  }

  /** What y holds: any value (linear), a label 0/1 (logistic), a class 0…K−1 (softmax). */
  private targetKind(): TargetKind {
    if (this.head === 'linear') return { kind: 'real' };
    if (this.head === 'logistic') return { kind: 'binary' };
    return { kind: 'class', classes: this.outputs };
  }

  /** Allocates Θ (zeros), the decay mask and the statistics for n features. */
  private allocate(n: number): void {
    if (this.n !== undefined) return;
    const P = (n + 1) * this.outputs;
    const usage = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
    this.thetaBuffer = this.ctx.createBuffer(`${this.label} θ`, P * 4, usage);
    this.decayBuffer = this.ctx.createBuffer(`${this.label} decay mask`, P * 4, usage);
    this.statsBuffer = this.ctx.createBuffer(`${this.label} feature statistics`, 4 * n * 4, usage);
    const decay = new Float32Array(P).fill(1).fill(0, 0, this.outputs); // row 0: the bias terms θ₀
    this.ctx.device.queue.writeBuffer(this.thetaBuffer, 0, new Float32Array(P));
    this.ctx.device.queue.writeBuffer(this.decayBuffer, 0, decay);
    this.ctx.device.queue.writeBuffer(this.statsBuffer, 0, new Float32Array(4 * n).fill(1));
    this.n = n;
  }

  private program(): GradientProgram {
    if (!this.thetaBuffer || !this.decayBuffer || this.n === undefined) throw new Error(`${this.label}: not allocated`);
    const theta = this.thetaBuffer;
    const n = this.n;
    const K = this.outputs;
    return {
      label: this.label,
      parameters: (n + 1) * K,
      theta,
      decay: this.decayBuffer,
      hasAccuracy: this.head !== 'linear',
      bindBatch: (b) => this.bindBatch(b, theta, n),
    };
  }

  /** Forward (z = x̃Θ, the head) and backward (grad = x̃ᵀe) for a batch, built once. */
  private async bindBatch(b: BatchBinding, theta: GPUBuffer, n: number, predict = false): Promise<BatchOps & { output?: GPUBuffer }> {
    const K = this.outputs;
    const rows = b.x.rows;
    const usage = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
    const z = this.ctx.createBuffer(`${b.label} z`, rows * K * 4, usage);
    const e = this.ctx.createBuffer(`${b.label} ${predict ? 'h' : 'e'}`, rows * K * 4, usage);
    const owned = [z, e];
    try {
      const thetaView = { buffer: theta, rows: n + 1, cols: K };
      const forward = await createMatmul(this.ctx, { buffer: z, rows, cols: K }, b.x, thetaView);
      const backward = predict
        ? undefined
        : await createMatmul(this.ctx, { buffer: b.grad, rows: n + 1, cols: K }, b.x, { buffer: e, rows, cols: K }, { transA: true, beta: b.accumulate ? 1 : 0 });
      const kernel = this.ctx.kernel(REGRESSION_HEAD);
      const params = this.ctx.createUniform(`${b.label} head params`, kernel.params({ rows, classes: K, y_offset: b.y.offset ?? 0, row_offset: b.rowOffset }));
      owned.push(params);
      const head: Dispatch = {
        label: `${b.label} head`,
        pipeline: await kernel.pipeline({ HEAD: HEADS[this.head], PREDICT: predict }),
        bindGroups: kernel.bindGroups({ z, y: b.y.buffer, e, loss: b.loss, correct: b.correct, params, step: b.steps.binding }, `${b.label} head`),
        workgroups: [Math.ceil(rows / 64), 1, 1],
        dynamicGroup: kernel.dynamicGroup,
      };
      if (head.workgroups[0] > this.ctx.limits.maxComputeWorkgroupsPerDimension) throw new ArgumentError('x', `${rows} examples in one chunk are more than one dispatch covers`);
      return {
        encode: (pass, offset) => {
          forward.encode(pass);
          encodeDispatch(pass, head, offset);
          backward?.encode(pass);
        },
        destroy: () => {
          forward.destroy();
          backward?.destroy();
          for (const buf of owned) this.ctx.release(buf);
        },
        output: predict ? e : undefined,
      };
    } catch (err) {
      for (const buf of owned) this.ctx.release(buf);
      throw err;
    }
  }

  private upload(x: HostExamples, y: Float32Array<ArrayBuffer> | undefined, computeStats: boolean): Promise<GpuDataset> {
    return GpuDataset.upload(this.ctx, this.label, x, y, {
      normalize: this.normalize,
      stats: this.statsBuffer!,
      computeStats,
      outputs: this.outputs,
      maxBindingBytes: this.maxBindingBytes,
    });
  }

  /**
   * Trains the model on x (m examples of n features) and y (m targets) on the GPU. Returns a
   * run: await it for the history; pause(), resume(), cancel() it. Throws (rejects with)
   * ArgumentError for bad input before anything changes, and DivergenceError when the cost
   * grows or stops being finite — the model then keeps its best epoch's parameters.
   */
  fit(x: FeaturesInput, y: ArrayLike<number>, options: TrainOptions = {}): TrainingRun {
    if (this.busy) throw new Error(`${this.label}: already training; await or cancel the current run first`);
    const X = readFeatures('x', x, this.n);
    const Y = readTargets('y', y, X.rows, this.targetKind());
    const o = resolveTrainOptions(options, X.rows);
    const run = new TrainingRun(async (r) => {
      this.allocate(X.cols);
      const first = !this.statsReady && this.normalize;
      const data = await this.upload(X, Y, first);
      if (first) this.statsReady = true;
      try {
        const result = await runTraining(this.ctx, this.program(), data, o, this.epochsTrained, r);
        this.epochsTrained += result.epochs;
        return result;
      } catch (e) {
        if (e && typeof e === 'object' && 'history' in e) this.epochsTrained += (e as { history: unknown[] }).history.length;
        throw e;
      } finally {
        data.destroy();
      }
    });
    this.busy = run;
    run.done.then(
      () => (this.busy = undefined),
      () => (this.busy = undefined),
    );
    return run;
  }

  private checkTrained(): number {
    if (this.n === undefined) throw new Error(`${this.label}: the model has no parameters yet; fit it, setParameters or load it first`);
    if (this.busy) throw new Error(`${this.label}: training is running; await it first`);
    return this.n;
  }

  /** One full pass over (x, y) without updating: what cost(), gradient() and hypothesis() share. */
  private async pass<T>(
    x: FeaturesInput,
    y: ArrayLike<number> | undefined,
    mode: 'cost' | 'gradient' | 'predict',
    lambda: number,
    finish: (out: { m: number; history: GPUBuffer; grad: GPUBuffer; outputs: GPUBuffer[] }) => Promise<T>,
  ): Promise<T> {
    const n = this.checkTrained();
    const X = readFeatures('x', x, n);
    const Y = y === undefined ? undefined : readTargets('y', y, X.rows, this.targetKind());
    if (!(Number.isFinite(lambda) && lambda >= 0)) throw new ArgumentError('options.lambda', `must be a finite number ≥ 0, got ${lambda}`);
    const ctx = this.ctx;
    const program = this.program();
    const data = await this.upload(X, Y, false);
    const m = X.rows;
    const usage = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
    const made = (name: string, floats: number) => ctx.createBuffer(`${this.label} ${mode} ${name}`, floats * 4, usage);
    const buffers = {
      grad: made('gradient', program.parameters),
      loss: made('example costs', m),
      correct: made('example correct', m),
      history: made('result', 2),
      state: made('state', 8),
      thetaGood: made('θ copy', program.parameters),
      moments: made('moments', 1),
    };
    ctx.device.queue.writeBuffer(buffers.state, 0, new Float32Array(8));
    const steps = new StepTable(ctx, 1, `${this.label} ${mode}`);
    steps.write([{ epoch: 0, position: 0, count: m, t: 1 }]);
    const ops: (BatchOps & { output?: GPUBuffer })[] = [];
    const uniforms: GPUBuffer[] = [];
    try {
      for (const [i, chunk] of data.chunks.entries()) {
        ops.push(
          await this.bindBatch(
            {
              label: `${this.label} ${mode} chunk ${i}`,
              x: { buffer: chunk.x, rows: chunk.rows, cols: data.cols },
              y: { buffer: chunk.y, length: chunk.rows },
              rowOffset: chunk.start,
              accumulate: i > 0,
              grad: buffers.grad, loss: buffers.loss, correct: buffers.correct, steps,
            },
            program.theta,
            n,
            mode === 'predict',
          ),
        );
      }
      const tail: Dispatch[] = [];
      if (mode === 'cost') {
        const end = await createEpochEnd(ctx, program, true, { examples: m, lambda, tolerance: 0, patience: 1, firstEpoch: 0 }, { ...buffers, steps });
        uniforms.push(end.params);
        tail.push(end.dispatch);
      } else if (mode === 'gradient') {
        const update = await createUpdate(ctx, program, 'gradient', { learningRate: 1, lambdaOverM: lambda / m, beta1: 0, beta2: 0, epsilon: 1 }, { ...buffers, steps });
        uniforms.push(update.params);
        tail.push(update.dispatch);
      }
      await ctx.submit(`${this.label} ${mode}`, (enc) => {
        const p = enc.beginComputePass({ label: `${this.label} ${mode}` });
        for (const op of ops) op.encode(p, 0);
        for (const d of tail) encodeDispatch(p, d, 0);
        p.end();
      });
      return await finish({ m, history: buffers.history, grad: buffers.grad, outputs: ops.map((op) => op.output!) });
    } finally {
      for (const op of ops) op.destroy();
      for (const b of [...Object.values(buffers), ...uniforms]) ctx.release(b);
      steps.destroy();
      data.destroy();
    }
  }

  /** J on (x, y) at the current parameters, with penalty λ (default 0). */
  async cost(x: FeaturesInput, y: ArrayLike<number>, options: { lambda?: number } = {}): Promise<CostReport> {
    return this.pass(x, y, 'cost', options.lambda ?? 0, async ({ m, history }) => {
      const [mean, accuracy] = await this.ctx.read(history, 0, 2);
      return { total: mean! * m, mean: mean!, accuracy: this.head === 'linear' ? null : accuracy! };
    });
  }

  /** ∂(J/m)/∂Θ on (x, y), (n + 1) × K row-major: what one step of batch gradient descent follows. */
  async gradient(x: FeaturesInput, y: ArrayLike<number>, options: { lambda?: number } = {}): Promise<Float64Array> {
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

  /** Θ, (n + 1) × K row-major, in the space the model computes in (normalised features when it normalises). */
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
   * Θ for raw inputs: the same hypothesis written on [1, x] instead of [1, (x − μ)/σ], so
   * θⱼ(raw) = θⱼ/σⱼ and θ₀(raw) = θ₀ − Σⱼ θⱼ μⱼ/σⱼ. Equal to getTheta() without normalisation.
   */
  async getRawTheta(): Promise<Float64Array> {
    const theta = await this.getTheta();
    const norm = await this.getNormalization();
    if (!norm) return theta;
    const K = this.outputs;
    const raw = Float64Array.from(theta);
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < norm.mean.length; j++) {
        raw[(j + 1) * K + k] = theta[(j + 1) * K + k]! / norm.std[j]!;
        raw[k] = raw[k]! - (theta[(j + 1) * K + k]! * norm.mean[j]!) / norm.std[j]!;
      }
    }
    return raw;
  }

  /**
   * Sets Θ ((n + 1) × K row-major) and optionally the normalisation, as getTheta() and
   * getNormalization() return them. Checked first; nothing changes on an error.
   */
  setTheta(theta: ArrayLike<number>, normalization?: { mean: ArrayLike<number>; std: ArrayLike<number> }): void {
    if (this.busy) throw new Error(`${this.label}: training is running; await it first`);
    if (!theta || typeof theta.length !== 'number') throw new ArgumentError('theta', 'must be an array of numbers');
    const K = this.outputs;
    if (theta.length < 2 * K || theta.length % K !== 0) throw new ArgumentError('theta', `must hold (n + 1)·${K} values for n ≥ 1 features, got ${theta.length}`);
    const n = theta.length / K - 1;
    if (this.n !== undefined && n !== this.n) throw new ArgumentError('theta', `holds parameters for ${n} features, but the model has ${this.n}`);
    const values = new Float32Array(theta.length);
    for (let i = 0; i < theta.length; i++) {
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

  /** The whole model as JSON-ready data. */
  async toJSON(): Promise<RegressionJSON> {
    const n = this.checkTrained();
    const norm = await this.getNormalization();
    return {
      format: 'wgsl-learn/regression',
      version: 1,
      head: this.head,
      features: n,
      classes: this.outputs,
      theta: Array.from(await this.getTheta()),
      normalization: norm && { mean: Array.from(norm.mean), std: Array.from(norm.std) },
      epochs: this.epochsTrained,
    };
  }

  /** Restores parameters saved by toJSON() into this (new) model; checks everything first. */
  protected restore(json: RegressionJSON): void {
    if (!json || typeof json !== 'object' || json.format !== 'wgsl-learn/regression') throw new ArgumentError('json', "is not a wgsl-learn regression model (format 'wgsl-learn/regression')");
    if (json.version !== 1) throw new ArgumentError('json.version', `${json.version} is not supported (this library reads version 1)`);
    if (json.head !== this.head) throw new ArgumentError('json.head', `is ${json.head}, not ${this.head}`);
    if (json.classes !== this.outputs) throw new ArgumentError('json.classes', `is ${json.classes}, this model has ${this.outputs} outputs`);
    if (!Number.isInteger(json.features) || json.features < 1) throw new ArgumentError('json.features', `must be an integer ≥ 1, got ${json.features}`);
    if (json.theta?.length !== (json.features + 1) * this.outputs) throw new ArgumentError('json.theta', `must hold ${(json.features + 1) * this.outputs} values`);
    if (!!json.normalization !== this.normalize) throw new ArgumentError('json.normalization', `does not match normalize: ${this.normalize}`);
    this.setTheta(json.theta, json.normalization ?? undefined);
    this.epochsTrained = Number.isInteger(json.epochs) && json.epochs >= 0 ? json.epochs : 0;
  }

  /** Frees the model's GPU buffers. */
  destroy(): void {
    for (const b of [this.thetaBuffer, this.decayBuffer, this.statsBuffer]) if (b) this.ctx.release(b);
    this.thetaBuffer = this.decayBuffer = this.statsBuffer = undefined;
    this.n = undefined;
  }
}

/** A model with one output (linear and logistic regression): θ is a vector of n + 1 values, θ₀ first. */
export abstract class VectorRegression extends RegressionModel {
  /** θ in the model's feature space (normalised features when it normalises). */
  async getParameters(): Promise<Float64Array> {
    return this.getTheta();
  }

  /** Sets θ (n + 1 values) and, for a model that normalises and has no statistics yet, μ and σ. */
  setParameters(theta: ArrayLike<number>, normalization?: { mean: ArrayLike<number>; std: ArrayLike<number> }): void {
    this.setTheta(theta, normalization);
  }
}
