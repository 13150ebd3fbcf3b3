// The folds of a cross-validation trained as one (./group.ts): fits equal in their steps but each
// on its own training set — fold f's examples, normalised by fold f's own statistics — and its own
// validation set. Their sets are copied once into one buffer, set after set (TrainingData.sets),
// so that each step gathers every fold's batch in one dispatch into one buffer, and each product
// of the passes reads fold f's x̃ and targets for fold f's models (src/models/backpropagation.ts):
// the first layer's product a batch over the folds. Every model still sums what its fit alone
// sums, in the same order. Sets that cannot be stacked so (several chunks, different sizes, more
// than one binding together) train fold by fold instead. The copy holds the folds' data a second
// time while they train (data, like a fit's own upload, are not counted against memoryLimit).

import type { GpuContext } from '../gpu/context.js';
import { BufferUsage } from '../gpu/flags.js';
import type { TrainingData } from './program.js';

/** Whether `sets` (distinct, ≥ 2) can be stacked: one chunk each, the same size, and together within one storage binding. */
export function stackable(ctx: GpuContext, sets: readonly TrainingData[]): boolean {
  const [first] = sets;
  if (!first) return false;
  const bytes = sets.length * first.examples * first.cols * 4;
  return sets.every((d) => d.chunks.length === 1 && d.sets === undefined && d.examples === first.examples && d.cols === first.cols && d.chunks[0]!.rows === d.examples)
    && bytes <= ctx.limits.maxStorageBufferBindingSize && bytes <= ctx.limits.maxBufferSize;
}

/** The training sets in one buffer of x̃ and one of targets, set after set (each copied as it is: the same bits). */
export class StackedSets implements TrainingData {
  readonly examples: number;
  readonly cols: number;
  readonly sets: number;
  readonly chunks: { start: number; rows: number; x: GPUBuffer; y: GPUBuffer }[];

  private constructor(
    private readonly ctx: GpuContext,
    from: readonly TrainingData[],
    label: string,
  ) {
    const { examples: m, cols } = from[0]!;
    [this.examples, this.cols, this.sets] = [m, cols, from.length];
    const usage = BufferUsage.STORAGE | BufferUsage.COPY_DST;
    const x = ctx.createBuffer(`${label} x̃ of ${from.length} sets`, from.length * m * cols * 4, usage);
    try {
      const y = ctx.createBuffer(`${label} targets of ${from.length} sets`, from.length * m * 4, usage);
      this.chunks = [{ start: 0, rows: m, x, y }];
    } catch (e) {
      ctx.release(x);
      throw e;
    }
  }

  /** `from`'s sets stacked (stackable(from) must hold): their copies encoded and submitted. */
  static async create(ctx: GpuContext, from: readonly TrainingData[], label: string): Promise<StackedSets> {
    const self = new StackedSets(ctx, from, label);
    try {
      const { x, y } = self.chunks[0]!;
      const [m, cols] = [self.examples, self.cols];
      await ctx.submit(`${label} stack the sets`, (enc) => {
        for (const [f, d] of from.entries()) {
          enc.copyBufferToBuffer(d.chunks[0]!.x, 0, x, f * m * cols * 4, m * cols * 4);
          enc.copyBufferToBuffer(d.chunks[0]!.y, 0, y, f * m * 4, m * 4);
        }
      });
      return self;
    } catch (e) {
      self.destroy();
      throw e;
    }
  }

  destroy(): void {
    for (const c of this.chunks) {
      this.ctx.release(c.x);
      this.ctx.release(c.y);
    }
  }
}
