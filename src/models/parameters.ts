// A model's parameters on the GPU: Θ (./layout.ts), the decay mask that spares the bias
// weights, and the feature statistics (src/kernels/feature_stats.ts), made once n is known and
// rebuilt from a CPU checkpoint after a lost device. What the model reads and writes of them
// goes through here.

import type { HostStats } from '../train/design.js';
import type { FitSession } from '../train/session.js';
import { show } from '../show.js';
import type { GpuContext } from '../gpu/context.js';
import { ArgumentError, type Checkpoint } from '../gpu/errors.js';
import { BufferUsage } from '../gpu/flags.js';
import { normalizationOf, statsFloats, statsOf } from '../kernels/feature_stats.js';
import { ThetaLayout } from './layout.js';
import { isF32, isF32Positive } from '../gpu/f32.js';
import { type OptimizerSettings, type OptimizerState, continues } from '../train/optimizer-state.js';

export type Normalization = { mean: ArrayLike<number>; std: ArrayLike<number> };

/** Θ as given (P values for n features), checked finite in float32 and copied. */
export function checkTheta(theta: ArrayLike<number>, P: number, n: number): Float32Array<ArrayBuffer> {
  if (theta.length !== P) throw new ArgumentError('theta', `must hold ${P} values for ${n} features, got ${theta.length}`);
  const values = new Float32Array(P);
  for (let i = 0; i < P; i++) {
    const v = theta[i];
    if (typeof v !== 'number' || !Number.isFinite(Math.fround(v))) throw new ArgumentError(`theta[${i}]`, `must be a finite number, got ${show(v)}`);
    values[i] = v;
  }
  return values;
}

/** μ and σ as given for n features: μ finite in float32, σ a normal float32 > 0 (x − μ)/σ divides by. */
export function checkNormalization(normalization: Normalization, n: number): void {
  const { mean, std } = normalization;
  if (mean?.length !== n || std?.length !== n) throw new ArgumentError('normalization', `mean and std must have ${n} values each`);
  for (let j = 0; j < n; j++) {
    const mu = mean[j]!;
    const sd = std[j]!;
    if (!isF32(mu)) throw new ArgumentError(`normalization.mean[${j}]`, `must be finite in float32 (|μ| ≤ 3.4e38), got ${mu}`);
    if (!isF32Positive(sd)) throw new ArgumentError(`normalization.std[${j}]`, `must be > 0 and finite in float32, at least 1.2e-38 (smaller flushes to 0 on a GPU), got ${sd}`);
  }
}

export class ModelParameters {
  /** n, once known. */
  n: number | undefined;
  layout: ThetaLayout | undefined;
  theta: GPUBuffer | undefined;
  decay: GPUBuffer | undefined;
  stats: GPUBuffer | undefined;
  /** Whether `stats` holds μ and σ (computed by a first fit, set, or restored). */
  statsReady = false;
  /** Epochs these parameters were trained (saved with them; keys the next fit's shuffle). */
  epochsTrained = 0;
  /** Whether Θ was ever written from outside the initialisation (set, loaded, restored): the model is not fresh. */
  written = false;
  /** The optimiser's state the last completed fit left (options.continueOptimizer goes on from it). */
  private optimizer: OptimizerState | undefined;
  /** μ and σ on the CPU as well, where they came from it (set, loaded, or computed from host data: src/train/design.ts). */
  readonly cpu: { stats: HostStats | undefined } = { stats: undefined };
  /** The data and step of the fit that left `optimizer` (src/train/session.ts). */
  private session: FitSession | undefined;

  constructor(
    private readonly ctx: GpuContext,
    private readonly label: string,
    /** [s₂, …, s_L]: every layer but the input. */
    readonly rest: readonly number[],
  ) {}

  /** Layers [n, …rest] for n features. */
  layersFor(n: number): number[] {
    return [n, ...this.rest];
  }

  /** n for a model without parameters yet, from a flat Θ's length; ArgumentError naming `who` when none fits. */
  featuresFor(count: number, who: string): number {
    const n = ThetaLayout.featuresFor(count, this.rest);
    if (n === undefined) throw new ArgumentError(who, `holds ${count} values, which fits no number of features for layers ${['n', ...this.rest].join('-')}`);
    return n;
  }

  /**
   * Makes Θ (from `initial`, or zeros), the decay mask and the statistics for n features.
   * Nothing happens when they already exist.
   */
  allocate(n: number, initial?: Float32Array<ArrayBuffer>): void {
    if (this.n !== undefined) return;
    const layout = new ThetaLayout(this.layersFor(n));
    const usage = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
    const made: GPUBuffer[] = [];
    try {
      const make = (name: string, floats: number) => {
        const b = this.ctx.createBuffer(`${this.label} ${name}`, floats * 4, usage);
        made.push(b);
        return b;
      };
      const theta = make('θ', layout.total);
      const decay = make('decay mask', layout.total);
      const stats = make('feature statistics', statsFloats(n));
      const queue = this.ctx.device.queue;
      queue.writeBuffer(theta, 0, initial ?? new Float32Array(layout.total));
      queue.writeBuffer(decay, 0, layout.decayMask());
      queue.writeBuffer(stats, 0, new Float32Array(statsFloats(n)).fill(1));
      this.theta = theta;
      this.decay = decay;
      this.stats = stats;
      this.layout = layout;
      this.n = n;
    } catch (e) {
      for (const b of made) this.ctx.release(b);
      throw e;
    }
  }

  /** The kept optimiser state when a fit with options `o` can go on from it. */
  optimizerFor(o: OptimizerSettings): OptimizerState | undefined {
    return continues(this.optimizer, o) ? this.optimizer : undefined;
  }

  /**
   * A fit began to train (Θ changes from here): the model keeps no optimiser state until one
   * completes. The state the fit carries on (`carried`) is the fit's now; any other is freed.
   */
  trainingStarted(carried: OptimizerState | undefined): void {
    if (this.optimizer === carried) this.optimizer = undefined;
    else this.dropOptimizer();
  }

  /** The state a completed fit left, and the session (its data and step) a fit carrying it on may use. */
  keepOptimizer(state: OptimizerState, session?: FitSession): void {
    this.dropOptimizer();
    this.optimizer = state;
    this.session = session;
  }

  /** The session built with the moments `carried` holds, for the fit that carries them on (it is the fit's now). */
  takeSession(carried: OptimizerState): FitSession | undefined {
    const session = this.session?.moments === carried.moments ? this.session : undefined;
    if (session) this.session = undefined;
    return session;
  }

  /** Forgets the optimiser's state (Θ changed other than by training), and the session built with it. */
  private dropOptimizer(): void {
    if (this.optimizer) this.ctx.release(this.optimizer.moments);
    this.optimizer = undefined;
    this.session?.destroy();
    this.session = undefined;
  }

  /** Checks Θ (flat) and the normalisation setTheta was given, before anything changes: n and Θ as float32. */
  checkWrite(theta: ArrayLike<number>, normalization: Normalization | undefined, normalize: boolean): { n: number; values: Float32Array<ArrayBuffer> } {
    if (!theta || typeof theta.length !== 'number') throw new ArgumentError('theta', 'must be an array of numbers');
    const n = this.n ?? this.featuresFor(theta.length, 'theta');
    const values = checkTheta(theta, ThetaLayout.count(this.layersFor(n)), n);
    if (normalization) {
      if (!normalize) throw new ArgumentError('normalization', 'given to a model created with normalize: false');
      checkNormalization(normalization, n);
    } else if (normalize && !this.statsReady) {
      throw new ArgumentError('normalization', 'is needed: this model normalises its features and has no statistics yet (pass { mean, std })');
    }
    return { n, values };
  }

  /** Writes Θ (and μ, σ) that the caller checked. */
  write(theta: Float32Array<ArrayBuffer>, normalization?: Normalization): void {
    this.written = true;
    this.dropOptimizer();
    this.ctx.device.queue.writeBuffer(this.theta!, 0, theta);
    if (normalization) this.writeNormalization(normalization);
  }

  /** Writes μ and σ that the caller checked. */
  writeNormalization(normalization: Normalization): void {
    const cpu = { mean: Float32Array.from(normalization.mean), std: Float32Array.from(normalization.std) };
    this.ctx.device.queue.writeBuffer(this.stats!, 0, statsOf(cpu.mean, cpu.std));
    this.cpu.stats = cpu;
    this.statsReady = true;
  }

  /** `other`'s μ and σ, bit for bit (a GPU copy; the CPU's copy shared): a model trained on data `other` normalised. */
  async copyStatistics(other: ModelParameters): Promise<void> {
    if (!other.statsReady) throw new Error(`${this.label}: the statistics to copy were never computed`);
    await this.ctx.submit(`${this.label} statistics copy`, (encoder) => encoder.copyBufferToBuffer(other.stats!, 0, this.stats!, 0, other.stats!.size));
    this.cpu.stats = other.cpu.stats;
    this.statsReady = true;
  }

  /** Θ, flat, read back. */
  async read(): Promise<Float64Array> {
    return Float64Array.from(await this.ctx.read(this.theta!));
  }

  /** μ and σ read back, or null while there are none. */
  async normalization(): Promise<{ mean: Float64Array; std: Float64Array } | null> {
    if (!this.statsReady) return null;
    return normalizationOf(await this.ctx.read(this.stats!), this.n!);
  }

  /** μ and σ out of the statistics a checkpoint copied with Θ (empty: none). */
  normalizationIn(kept: Float32Array): { mean: Float64Array; std: Float64Array } | null {
    return kept.length ? normalizationOf(kept, this.n!) : null;
  }

  /**
   * New buffers from a CPU checkpoint (the old ones may be on a lost device); `normalize` says
   * whether statistics are expected at all.
   */
  rebuild(checkpoint: Checkpoint, normalize: boolean): void {
    this.written = true;
    const n = this.n ?? this.featuresFor(checkpoint.theta.length, 'checkpoint.theta');
    const P = ThetaLayout.count(this.layersFor(n));
    if (checkpoint.theta.length !== P) throw new ArgumentError('checkpoint.theta', `must hold ${P} values for this model, got ${checkpoint.theta.length}`);
    const bad = checkpoint.theta.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new ArgumentError(`checkpoint.theta[${bad}]`, `must be finite, got ${checkpoint.theta[bad]}`);
    if (checkpoint.normalization) checkNormalization(checkpoint.normalization, n);
    this.destroy();
    this.allocate(n, Float32Array.from(checkpoint.theta));
    if (checkpoint.normalization) this.writeNormalization(checkpoint.normalization);
    else if (normalize) this.statsReady = false;
  }

  /** Frees the buffers; the model has no parameters after. */
  destroy(): void {
    this.dropOptimizer();
    for (const b of [this.theta, this.decay, this.stats]) if (b) this.ctx.release(b);
    this.theta = this.decay = this.stats = undefined;
    this.cpu.stats = undefined;
    this.layout = undefined;
    this.n = undefined;
  }
}
