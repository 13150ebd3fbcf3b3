// Where a batch's passes keep each model's matrices when several models of one shape train as one
// (src/train/group.ts; one model is the case count = 1, every view as it always was). Θ and the
// gradient follow stackedRanges (src/train/program.ts). Every activation and δ buffer holds one
// slot per model, one after another — except, when the first layer is stacked (Stacking.first > 0),
// a⁽²⁾ and δ⁽²⁾, whose models sit side by side in each row, so that the first layer's forward
// product x̃Θ⁽¹⁾ᵀ and its gradient δ⁽²⁾ᵀx̃ are each one product for every model (x̃ is shared).
// A view here is model 0's; `batch` is the elements from model k's to model k + 1's.

import type { GpuMatrix } from '../gpu/matrix.js';
import type { ThetaLayout } from './layout.js';

export interface Placed {
  view: GpuMatrix;
  batch: number;
  /** Models in a row that share this matrix (each fold's x̃ for its own models), `batch` elements from one's to the next; 1 when absent. */
  repeat?: number;
}

/** Floats per slot of a buffer of `floats` per model: a multiple of 64, so each slot binds at an aligned offset. */
export const slot = (floats: number, count: number) => (count === 1 ? floats : Math.ceil(floats / 64) * 64);

export class Placement {
  constructor(
    private readonly layout: ThetaLayout,
    readonly count: number,
    /** Θ's first block stored for all models together (Stacking.first), or 0. */
    private readonly first: number,
    private readonly rows: number,
  ) {}

  /** L: the layers, input and output included. */
  get layers(): number {
    return this.layout.layers.length;
  }

  /** The first layer runs as one product for all the models. */
  get wide(): boolean {
    return this.count > 1 && this.first > 0;
  }

  /** Θ⁽ˡ⁾ (or D⁽ˡ⁾ in the gradient buffer) of model 0 in `buffer`, from column `column` on. */
  block(buffer: GPUBuffer, l: number, column = 0): Placed {
    const b = this.layout.blocks[l]!;
    const P = this.layout.total;
    const view = { buffer, rows: b.rows, cols: b.cols - column, offset: b.offset + column, stride: b.cols };
    if (this.count === 1 || this.first === 0) return { view, batch: P };
    if (l === 0) return { view, batch: this.first };
    return { view: { ...view, offset: this.count * this.first + b.offset - this.first + column }, batch: P - this.first };
  }

  /** `models` models' Θ⁽¹⁾ (or D⁽¹⁾) as one matrix, model after model: (models · s₂) × (n + 1) — every model's by default. */
  wideBlock(buffer: GPUBuffer, models = this.count): GpuMatrix {
    const b = this.layout.blocks[0]!;
    return { buffer, rows: models * b.rows, cols: b.cols };
  }

  /** Side by side in each row: a⁽²⁾ and δ⁽²⁾ of a wide first layer. */
  private sideBySide(l: number): boolean {
    return this.wide && l === 1;
  }

  /** a⁽ˡ⁺¹⁾'s columns (bias column included), row stride, and elements from one model's to the next. */
  private activationShape(l: number): { cols: number; stride: number; batch: number } {
    const cols = this.layout.layers[l]! + 1;
    if (this.sideBySide(l)) return { cols, stride: cols * this.count, batch: cols };
    return { cols, stride: cols, batch: slot(this.rows * cols, this.count) };
  }

  /** Floats of the buffer of a⁽ˡ⁺¹⁾ (rows × (s + 1), bias column 0) for every model. */
  activationFloats(l: number): number {
    const { cols, batch } = this.activationShape(l);
    return this.sideBySide(l) ? this.rows * cols * this.count : batch * this.count;
  }

  /** a⁽ˡ⁺¹⁾ of model 0, bias column included (l ≥ 1; l = 0 is x̃, shared). */
  activation(buffer: GPUBuffer, l: number): Placed {
    const { cols, stride, batch } = this.activationShape(l);
    return { view: { buffer, rows: this.rows, cols, stride }, batch };
  }

  /** The bias unit a₀ = 1 of every model's a⁽ˡ⁺¹⁾, and zeros elsewhere: the buffer's first contents. */
  ones(l: number): Float32Array<ArrayBuffer> {
    const data = new Float32Array(this.activationFloats(l));
    const { stride, batch } = this.activationShape(l);
    for (let k = 0; k < this.count; k++) for (let i = 0; i < this.rows; i++) data[k * batch + i * stride] = 1;
    return data;
  }

  /** Floats of the buffer of δ⁽ˡ⁺¹⁾ (rows × s) for every model. */
  deltaFloats(l: number): number {
    const s = this.layout.layers[l]!;
    return this.sideBySide(l) ? this.rows * s * this.count : slot(this.rows * s, this.count) * this.count;
  }

  /** δ⁽ˡ⁺¹⁾ of model 0 (l ≥ 1; the output layer's δ is in slots of the output's width). */
  delta(buffer: GPUBuffer, l: number): Placed {
    const s = this.layout.layers[l]!;
    if (this.sideBySide(l)) return { view: { buffer, rows: this.rows, cols: s, stride: s * this.count }, batch: s };
    return { view: { buffer, rows: this.rows, cols: s }, batch: slot(this.rows * s, this.count) };
  }
}
