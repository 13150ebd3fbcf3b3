// Many fresh models of one shape trained on one upload of their data (src/select/train-many.ts):
// the first model uploads the training and validation sets, computing the feature statistics
// into its own parameters exactly as its own first fit would; every other model takes those
// statistics bit for bit and trains on the same buffers. Each model's fit is then the fit it
// would have run alone — same statistics, same x̃, same kernels — and the data are uploaded once.

import type { GpuContext } from '../gpu/context.js';
import type { FeaturesInput, GpuDataset, HostExamples, Targets, TargetsInput } from '../train/dataset.js';
import type { TrainOptions } from '../train/options.js';
import type { TrainingRun } from '../train/run.js';
import type { FitData, SharedData } from './fit.js';
import type { ModelParameters } from './parameters.js';

/** A model as the shared training sees it. */
export interface SharingModel {
  /** The context the model trains on. */
  readonly ctx: GpuContext;
  /** No parameters yet and not training: what sharing data needs. */
  readonly fresh: boolean;
  /** Equal for models whose data, uploaded, are the same bytes (layers, activations, head, normalisation, labels). */
  readonly key: string;
  /** s₂ … s_L: the units of every layer after the inputs. */
  readonly units: readonly number[];
  /** The first layer's width for x of n features (more with polynomial features). */
  width(n: number): number;
  /** Uploads x, y and the validation set for this model and others of its key; makes its parameters. */
  upload(x: FeaturesInput, y: TargetsInput, validation: { x: FeaturesInput; y: TargetsInput } | undefined): Promise<SharedData>;
  /** Makes this model's parameters for n features with `from`'s statistics (`from` uploaded the data). */
  follow(from: SharingModel, n: number): Promise<void>;
  fit(x: FeaturesInput, y: TargetsInput, options: TrainOptions, shared: SharedData): TrainingRun;
}

/** What a DenseModel gives sharingModel. */
export interface SharingParts {
  ctx: GpuContext;
  params: ModelParameters;
  normalize: boolean;
  fresh: boolean;
  key: string;
  units: readonly number[];
  width(n: number): number;
  check(x: FeaturesInput, y: TargetsInput, validation: { x: FeaturesInput; y: TargetsInput } | undefined): FitData;
  allocate(n: number): void;
  upload(x: HostExamples, y: Targets | undefined, computeStats: boolean): Promise<GpuDataset>;
  fit(x: FeaturesInput, y: TargetsInput, options: TrainOptions, shared: SharedData): TrainingRun;
}

const partsOf = new WeakMap<SharingModel, SharingParts>();

export function sharingModel(parts: SharingParts): SharingModel {
  const model: SharingModel = {
    ctx: parts.ctx,
    fresh: parts.fresh,
    key: parts.key,
    units: parts.units,
    width: parts.width,
    async upload(x, y, validation) {
      const d = parts.check(x, y, validation);
      parts.allocate(d.X.cols);
      const first = parts.normalize && !parts.params.statsReady;
      const data = await parts.upload(d.X, d.Y, first);
      if (first) parts.params.statsReady = true;
      try {
        return { data, held: d.VX && (await parts.upload(d.VX, d.VY, false)) };
      } catch (e) {
        data.destroy();
        throw e;
      }
    },
    async follow(from, n) {
      parts.allocate(parts.width(n)); // the first layer's width: x's n features, or their polynomial terms
      if (parts.normalize) await parts.params.copyStatistics(partsOf.get(from)!.params);
    },
    fit: parts.fit,
  };
  partsOf.set(model, parts);
  return model;
}
