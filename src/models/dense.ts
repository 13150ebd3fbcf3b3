// What every model is: a stack of dense layers z⁽ˡ⁺¹⁾ = Θ⁽ˡ⁾a⁽ˡ⁾ with an activation g between
// them and an output layer (the head) — linear, logistic and softmax regression are one layer
// and a head (./regression.ts), a neural network is several (./network.ts). This class holds
// the model's state and public surface; the lecture's steps live beside it, each in its file:
//
//   ./layout.ts           Θ's layout: offsets, bias columns, decay mask
//   ./backpropagation.ts  forward propagation, the output layer, backpropagation of δ⁽ˡ⁾ and Δ⁽ˡ⁾
//   ./fit.ts              training (src/train/ schedules the steps) and device-loss recovery
//   ./evaluation.ts       cost J, gradient D, hypothesis h
//   ./parameters.ts       Θ, the decay mask and the feature statistics on the GPU
//   ./saved.ts            the saved form and its checks

import type { ActivationName } from '../activations.js';
import { toOnnx } from '../export/onnx.js';
import { type SaveTarget, writeTarget } from '../export/targets.js';
import { type GpuContext, checkContext } from '../gpu/context.js';
import { ArgumentError, type Checkpoint } from '../gpu/errors.js';
import type { GpuMatrix } from '../gpu/matrix.js';
import type { HeadName } from '../reference/regression.js';
import { type FeaturesInput, GpuDataset, type HostExamples, type TargetKind, type Targets, type TargetsInput, readFeatures, readTargets } from '../train/dataset.js';
import type { TrainDefaults, TrainOptions } from '../train/options.js';
import type { BatchBinding, GradientProgram } from '../train/program.js';
import type { TrainingRun } from '../train/run.js';
import { checkOptions } from '../options.js';
import { type BoundBatch, bindBatch } from './backpropagation.js';
import { type CostReport, type EvaluatedModel, type PassMode, type PassOutputs, checkTarget, copyOutputs, evaluationPass, finiteCost, finiteOutputs, readOutputs } from './evaluation.js';
import { type FittedModel, type SharedData, checkFit, fitModel, runAfter } from './fit.js';
import { type SharingModel, sharingModel } from './sharing.js';
import { InputMap } from './inputs.js';
import { ThetaLayout } from './layout.js';
import { ModelParameters, type Normalization } from './parameters.js';
import { type DenseJSON, checkRestore, savedForm } from './saved.js';
import { type ModelSummary, summarize } from './summary.js';
import { type DenseOptions, type DenseSpec, ONNX_OPTIONS, PENALTY_OPTIONS, PREDICT_TARGET, targetKindOf, widestRow } from './spec.js';
import type { Label } from '../train/labels.js';
import { type Evaluation, metricsOf } from './metrics.js';
import { confusionCounts } from '../kernels/confusion.js';
import { WARM_UP_OPTIONS, type WarmModel, type WarmUpOptions, warmForward, warmUp } from './warm-up.js';

export type { DenseJSON } from './saved.js';
export { DENSE_OPTIONS, type DenseOptions, type DenseSpec } from './spec.js';
export type { CostReport } from './evaluation.js';

export abstract class DenseModel {
  readonly head: HeadName;
  readonly hidden: readonly number[];
  readonly activations: readonly ActivationName[];
  readonly outputs: number;
  /** A classifier's labels for its classes (what predict() returns); undefined: the indices 0 … K − 1. */
  readonly labels: readonly Label[] | undefined;
  protected readonly label: string;
  private readonly normalize: boolean;
  private readonly maxBindingBytes: number | undefined;
  private readonly params: ModelParameters;
  /** x as the first layer takes it (options.polynomial). */
  protected readonly inputs: InputMap;
  private busy: TrainingRun | undefined;
  /** fit()'s defaults for this kind of model (networks: Adam for 1,000 epochs). */
  protected trainDefaults: TrainDefaults | undefined;

  protected constructor(
    protected readonly ctx: GpuContext,
    spec: DenseSpec,
    options: DenseOptions,
  ) {
    checkContext(ctx); // each model's constructor has checked `options` against its table (src/options.ts)
    this.normalize = options.normalize ?? spec.normalizeByDefault;
    this.maxBindingBytes = options.maxBindingBytes;
    this.inputs = new InputMap(options.polynomial);
    ({ label: this.label, head: this.head, hidden: this.hidden, activations: this.activations, outputs: this.outputs, labels: this.labels } = spec);
    this.params = new ModelParameters(ctx, spec.label, [...spec.hidden, spec.outputs]);
    if (ctx.warmModels) warmForward(ctx, this.warmModel()).catch(() => {}); // every use runs it; an error surfaces where it is used
  }

  /** Builds the GPU pipelines the model will use ('fit', the default, or 'predict'); resolves when built (once per context). */
  warmUp(options: WarmUpOptions = {}): Promise<void> {
    checkOptions('options', options, WARM_UP_OPTIONS);
    return warmUp(this.ctx, this.warmModel(), options);
  }

  private warmModel(): WarmModel {
    return { layers: this.layers ?? [this.hidden[0] ?? this.outputs, ...this.hidden, this.outputs], activations: this.activations, head: this.head, normalize: this.normalize, optimizer: this.trainDefaults?.optimizer ?? 'sgd' };
  }

  /** n, the number of features x has (before any polynomial terms); undefined until the model has parameters. */
  get features(): number | undefined {
    return this.inputs.degree === undefined ? this.params.n : this.inputs.raw;
  }

  /** [s₁, …, s_L] once n is known. */
  get layers(): number[] | undefined {
    return this.params.n === undefined ? undefined : this.params.layersFor(this.params.n);
  }

  /** Layers, activations and parameter counts (Keras's summary()): `.text` prints as a table. */
  summary(): ModelSummary {
    return summarize(this.label, this.params.n, this.params.rest, this.activations, this.head);
  }

  /** Θ's layout once n is known. */
  protected get layout(): ThetaLayout | undefined {
    return this.params.layout;
  }

  private targetKind(): TargetKind {
    return targetKindOf(this.head, this.outputs, this.labels);
  }

  /** Makes Θ (from `initial`, or zeros), the decay mask and the statistics for a first layer of n inputs (x of `raw` features), once. */
  protected allocate(n: number, initial?: Float32Array<ArrayBuffer>, raw?: number): void {
    if (this.params.n === undefined && this.inputs.degree !== undefined) this.inputs.fix(raw ?? this.inputs.rawFor(n));
    this.params.allocate(n, initial);
  }

  private program(): GradientProgram {
    const { theta, decay, stats, layout } = this.params;
    if (!theta || !decay || !layout) throw new Error(`${this.label}: not allocated`);
    return {
      label: this.label, parameters: layout.total, theta, decay, hasAccuracy: this.head !== 'linear',
      keep: this.normalize ? stats : undefined,
      bindBatch: (b) => this.bindBatch(b),
      bindStacked: (b, stacked, stacking) => bindBatch(this.ctx, { layout, theta: stacked, activations: this.activations, head: this.head }, b, false, stacking),
      // With a hidden layer, the first layer's block goes first for all models: one product serves them all (src/models/placement.ts).
      stackFirst: layout.layers.length >= 3 ? layout.blocks[0]!.rows * layout.blocks[0]!.cols : 0,
    };
  }

  private bindBatch(b: BatchBinding, predict = false): Promise<BoundBatch> {
    return bindBatch(this.ctx, { layout: this.params.layout!, theta: this.params.theta!, activations: this.activations, head: this.head }, b, predict);
  }

  private upload(x: HostExamples, y: Targets | undefined, computeStats = false): Promise<GpuDataset> {
    return GpuDataset.upload(this.ctx, this.label, x, y, {
      normalize: this.normalize,
      stats: this.params.stats!,
      cpu: this.params.cpu,
      computeStats,
      outputs: widestRow(this.hidden, this.outputs),
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
    return this.startFit(x, y, options);
  }

  /** What training many fresh models of this shape on one upload needs (src/select/train-many.ts). Internal. */
  sharing(): SharingModel {
    const p = this.params;
    return sharingModel({
      ctx: this.ctx, params: p, normalize: this.normalize, fresh: !p.written && !p.statsReady && p.epochsTrained === 0 && !this.busy, key: JSON.stringify([this.warmModel(), this.labels, this.maxBindingBytes, this.inputs.degree]), units: [...this.hidden, this.outputs], width: (n) => this.inputs.width(n, 'x'),
      check: (x, y, validation) => checkFit(this.ctx, this.inputs.map('x', x), y, this.inputs.mapOptions(validation ? { validation } : {}), p.n, this.targetKind(), this.trainDefaults).data,
      allocate: (n) => this.allocate(n), upload: (x, y, stats) => this.upload(x, y, stats), fit: (x, y, options, shared) => this.startFit(x, y, options, shared),
    });
  }

  private startFit(x: FeaturesInput, y: TargetsInput, options: TrainOptions, shared?: SharedData): TrainingRun {
    if (this.busy?.active) throw new Error(`${this.label}: already training; await the current run, or cancel() it, first`);
    const { mapped, raw } = this.inputs.read('x', x); // x is read once: its width and its terms
    const { data, o } = checkFit(this.ctx, mapped, y, this.inputs.mapOptions(options), this.params.n, this.targetKind(), this.trainDefaults);
    warmUp(this.ctx, this.warmModel(), { rows: Math.min(o.batchSize, data.X.rows), optimizer: o.optimizer, validationRows: data.VX?.rows }).catch(() => {});
    const run = runAfter(this.busy, async (r) => {
      this.allocate(data.X.cols, undefined, raw);
      return fitModel(this.fitted(), data, o, r, shared);
    });
    this.busy = run;
    const idle = () => void (this.busy === run && (this.busy = undefined));
    run.then(idle, idle);
    return run;
  }

  /** The model as fit.ts sees it. */
  private fitted(): FittedModel {
    const p = this.params;
    return {
      ctx: this.ctx, trained: p, needsStats: () => !p.statsReady && this.normalize, statsComputed: () => (p.statsReady = true),
      upload: (x, y, computeStats) => this.upload(x, y, computeStats), program: () => this.program(), normalizationIn: (kept) => p.normalizationIn(kept),
      rebuild: (ck) => p.rebuild(ck, this.normalize), optimizerFor: (o) => p.optimizerFor(o), trainingStarted: (s) => p.trainingStarted(s), keepOptimizer: (s, kept) => p.keepOptimizer(s, kept), takeSession: (c) => p.takeSession(c),
    };
  }

  private checkAllocated(): number {
    if (this.params.n === undefined) throw new Error(`${this.label}: the model has no parameters yet; fit it, set its parameters or load it first`);
    return this.params.n;
  }

  private checkTrained(): number {
    const n = this.checkAllocated();
    if (this.busy) throw new Error(`${this.label}: training is running; await it first`);
    return n;
  }

  /** One full pass over (x, y) without updating, checked first: what cost(), gradient() and hypothesis() share. */
  protected pass<T>(x: FeaturesInput, y: TargetsInput | undefined, mode: PassMode, lambda: number, finish: (out: PassOutputs) => Promise<T>, variants?: readonly Float32Array<ArrayBuffer>[]): Promise<T> {
    const n = this.checkTrained();
    const X = readFeatures('x', this.inputs.map('x', x), n);
    const Y = y === undefined ? undefined : readTargets('y', y, X.rows, this.targetKind());
    const model: EvaluatedModel = {
      ctx: this.ctx, label: this.label, program: () => this.program(), upload: (xs, ys) => this.upload(xs, ys), bindBatch: (b, predict) => this.bindBatch(b, predict),
    };
    return evaluationPass(model, X, Y, mode, lambda, finish, variants);
  }

  /** J on (x, y) at the current parameters, with penalty λ (default 0). */
  async cost(x: FeaturesInput, y: TargetsInput, options: { lambda?: number } = {}): Promise<CostReport> {
    checkOptions('options', options, PENALTY_OPTIONS);
    return this.pass(x, y, 'cost', options.lambda ?? 0, async ({ m, history }) => {
      const [mean, accuracy] = await this.ctx.read(history, 0, 2);
      return { total: finiteCost(mean!) * m, mean: mean!, accuracy: this.head === 'linear' ? null : accuracy! };
    });
  }

  /**
   * A classifier's evaluation on (x, y): J/m (penalty λ, default 0), accuracy, the confusion
   * matrix — counted on the GPU — and per-class precision, recall and F1 with their macro means.
   */
  async evaluate(x: FeaturesInput, y: TargetsInput, options: { lambda?: number } = {}): Promise<Evaluation> {
    checkOptions('options', options, PENALTY_OPTIONS);
    if (this.head === 'linear') throw new ArgumentError('evaluate', 'is for classifiers; a linear output has cost() only');
    const { mean } = await this.cost(x, y, options);
    const confusion = await this.pass(x, y, 'predict', 0, ({ data, outputs }) =>
      confusionCounts(this.ctx, this.label, this.outputs, data.chunks.map((c, i) => ({ h: outputs[i]!, y: c.y, rows: c.rows }))));
    return { cost: mean, ...metricsOf(confusion, this.labels) };
  }

  /** ∂(J/m)/∂Θ on (x, y), flat like getTheta() (D⁽¹⁾, D⁽²⁾ …): what one step of batch gradient descent follows. */
  async gradient(x: FeaturesInput, y: TargetsInput, options: { lambda?: number } = {}): Promise<Float64Array> {
    checkOptions('options', options, PENALTY_OPTIONS);
    return this.pass(x, y, 'gradient', options.lambda ?? 0, async ({ grad }) => Float64Array.from(await this.ctx.read(grad)));
  }

  /** The hypothesis h for each example, m × K row-major (values, probabilities of 1, or class probabilities). */
  protected async hypothesis(x: FeaturesInput): Promise<Float32Array> {
    return finiteOutputs(await this.pass(x, undefined, 'predict', 0, ({ outputs }) => readOutputs(this.ctx, outputs)), this.outputs);
  }

  /**
   * Writes the hypothesis h for each example of x (m × K float32, row-major: what
   * predictProbabilities returns, or linear regression's predictions) into the caller's
   * `buffer` (COPY_DST usage) from element `offset`, on the GPU, with no readback: for plots
   * drawn straight from the buffer. Resolves once the work is queued.
   */
  async predictInto(x: FeaturesInput, target: { buffer: GPUBuffer; offset?: number }): Promise<void> {
    checkOptions('target', target, PREDICT_TARGET);
    const n = this.checkTrained();
    const { buffer, offset } = checkTarget(this.ctx, target, readFeatures('x', this.inputs.map('x', x), n).rows, this.outputs);
    await this.pass(x, undefined, 'predict', 0, ({ outputs }) => copyOutputs(this.ctx, this.label, outputs, buffer, offset));
  }

  /**
   * Θ⁽ˡ⁾ (l = 1 … L − 1) where it lives on the GPU: a view of the model's parameter buffer,
   * s_{l+1} rows of s_l + 1 floats, bias weights in column 0 — for drawing it (src/plot) with no
   * readback, e.g. the first layer's rows as 20×20 tiles. Training updates it in place. Read it,
   * do not write it; it is valid until the model is destroyed.
   */
  weightsView(layer = 1): GpuMatrix {
    this.checkAllocated();
    const blocks = this.params.layout!.blocks;
    if (!Number.isInteger(layer) || layer < 1 || layer > blocks.length) {
      throw new ArgumentError('layer', `must be an integer from 1 to ${blocks.length}, got ${layer}`);
    }
    return { buffer: this.params.theta!, ...blocks[layer - 1]! };
  }

  /** Θ⁽¹⁾, Θ⁽²⁾ … flat (see DenseJSON.theta), in the space the model computes in. */
  async getTheta(): Promise<Float64Array> {
    this.checkTrained();
    return this.params.read();
  }

  /** μ and σ of each feature, or null when the model does not normalise (or has not been fitted). */
  async getNormalization(): Promise<{ mean: Float64Array; std: Float64Array } | null> {
    this.checkTrained();
    return this.normalize ? this.params.normalization() : null;
  }

  /**
   * Sets every parameter (flat, as getTheta() returns them) and optionally the normalisation.
   * Checked first; nothing changes on an error. A model that normalises needs `normalization`
   * until it has statistics of its own.
   */
  setTheta(theta: ArrayLike<number>, normalization?: Normalization): void {
    if (this.busy) throw new Error(`${this.label}: training is running; await it first`);
    const { n, values } = this.params.checkWrite(theta, normalization, this.normalize);
    this.allocate(n);
    this.params.write(values, normalization);
  }

  /** The shared part of the saved form. */
  protected async saveDense(): Promise<DenseJSON> {
    this.checkTrained();
    const normalization = await this.getNormalization();
    const polynomial = this.inputs.degree === undefined ? undefined : { degree: this.inputs.degree, inputs: this.inputs.raw! };
    return savedForm({ layers: this.layers!, head: this.head, hidden: this.hidden, activations: this.activations, labels: this.labels, theta: await this.getTheta(), normalization, epochs: this.params.epochsTrained, polynomial });
  }

  /** The model as JSON-ready data (NeuralNetwork.load and the regression models' load read it). */
  abstract toJSON(): Promise<DenseJSON & { format: string }>;

  /**
   * Saves the model where users keep models: a file path in Node (written atomically), the
   * browser's IndexedDB ({ indexedDB: name }) or a download ({ download: fileName }); JSON, or
   * ONNX for a path ending in .onnx or format: 'onnx'. load(ctx, source) reads it back.
   */
  async save(target: SaveTarget): Promise<void> {
    await writeTarget(target, { parameters: this.layout?.total ?? 0, json: () => this.toJSON(), onnx: () => this.toONNX() });
  }

  /**
   * The model as an ONNX file (opset 13): input "x" [batch, n] float32, output "h" [batch, K] —
   * what predictProbabilities (linear regression: predict) returns — with the model's class and
   * labels, and `options.metadata` (the app's own strings), in its metadata. See src/export/onnx.ts.
   */
  async toONNX(options: { metadata?: Record<string, string> } = {}): Promise<Uint8Array> {
    checkOptions('options', options, ONNX_OPTIONS);
    return toOnnx(await this.toJSON(), this.label, undefined, options.metadata);
  }

  /** Restores what saveDense() wrote into this new model; checks everything first. */
  protected restoreDense(json: DenseJSON): void {
    checkRestore(json, { head: this.head, rest: this.params.rest, activations: this.activations, labels: this.labels, normalize: this.normalize, n: this.params.n });
    this.setTheta(json.theta ?? [], json.normalization ?? undefined);
    this.params.epochsTrained = Number.isInteger(json.epochs) && json.epochs >= 0 ? json.epochs : 0;
  }

  /**
   * Puts a checkpoint back: Θ (and the normalisation) from the CPU into new buffers — after the
   * device was lost, on the context's new device — or into this model of a new context.
   */
  restoreCheckpoint(checkpoint: Checkpoint): void {
    if (!checkpoint || !(checkpoint.theta instanceof Float32Array)) throw new ArgumentError('checkpoint', 'must be a Checkpoint (a DeviceLostError carries one)');
    if (this.busy) throw new Error(`${this.label}: training is running; await it first`);
    this.params.rebuild(checkpoint, this.normalize);
  }

  /** Frees the model's GPU buffers (its Θ, decay mask, statistics). */
  destroy(): void {
    this.params.destroy();
  }
}
