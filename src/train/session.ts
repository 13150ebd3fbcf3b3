// A fit's data on the GPU and its built training step, kept by the model after a fit in slices
// (continueOptimizer) that completed, for the next fit of the same data and options that carries
// the optimiser on — a playground frame, a training slice: such a fit costs its epochs, not a
// new upload, new buffers and new bind groups. The data are compared value by value, so an array
// changed in place is uploaded again whatever its identity; the session lives exactly as long as
// the optimiser state it was built with (the model frees both together, src/models/parameters.ts).

import type { GpuDataset, HostExamples, Targets } from './dataset.js';
import type { ResolvedTrainOptions } from './options.js';
import type { FitBuffers, TrainingStep } from './training-step.js';

/** A built training step: what TrainingStep.build returns, and what a session keeps. */
export interface BuiltStep {
  step: TrainingStep;
  buffers: FitBuffers;
  stepsPerSubmit: number;
}

/** Floats of data a session keeps a copy of to compare (16 MiB); a fit of more uploads afresh. */
const MAX_KEPT = 1 << 22;

/** What a kept session must match: the options that shaped its step, the Θ it binds, the data's values. */
export interface SessionKey {
  options: string;
  theta: GPUBuffer;
  values: Float32Array[];
}

/** Whether two float arrays hold the same bits. */
function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

export class FitSession {
  constructor(
    readonly key: SessionKey,
    readonly data: GpuDataset,
    readonly held: GpuDataset | undefined,
    readonly built: BuiltStep,
  ) {}

  /**
   * The key of a fit on `theta` with these data and options, or undefined when its data cannot
   * be kept: in GPU buffers, or more than MAX_KEPT floats.
   */
  static keyOf(theta: GPUBuffer, data: { X: HostExamples; Y: Targets; VX?: HostExamples; VY?: Targets }, o: ResolvedTrainOptions): SessionKey | undefined {
    const parts = [data.X.data, data.Y, data.VX?.data, data.VY];
    if (!data.X.data || !(data.Y instanceof Float32Array) || (data.VX && (!data.VX.data || !(data.VY instanceof Float32Array)))) return undefined;
    const values = parts.filter((p): p is Float32Array<ArrayBuffer> => p instanceof Float32Array);
    if (values.reduce((sum, v) => sum + v.length, 0) > MAX_KEPT) return undefined;
    const options = JSON.stringify([
      data.X.cols, !!data.VX, o.batchSize, o.shuffle, o.seed, o.optimizer, o.beta1, o.beta2, o.epsilon, o.lambda,
      o.tolerance, o.patience, o.aboveFirst, o.earlyStopping ?? null, o.live, o.stepsPerSubmit ?? null,
    ]);
    return { options, theta, values: values.map((v) => v.slice()) };
  }

  /** Whether a fit of `key` can go on with this session's data and step. */
  matches(key: SessionKey): boolean {
    return key.options === this.key.options && key.theta === this.key.theta && key.values.length === this.key.values.length && key.values.every((v, i) => sameBits(v, this.key.values[i]!));
  }

  /** The optimiser's moments the kept step binds: a session serves only the fit that carries them on. */
  get moments(): GPUBuffer {
    return this.built.buffers.moments;
  }

  destroy(): void {
    this.built.step.destroy();
    this.data.destroy();
    this.held?.destroy();
  }
}
