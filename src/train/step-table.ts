// Per-step records (shaders/lib/step.wgsl's StepRecord) for the steps of one submit, in one
// uniform buffer at the device's dynamic-offset alignment. Written with one writeBuffer before
// each submit; the queue orders that write after the previous submit's reads, so one buffer
// serves every submit.

import stepLib from '../../shaders/lib/step.wgsl?raw';
import type { GpuContext } from '../gpu/context.js';
import { BufferUsage } from '../gpu/flags.js';
import { packUniform, parseUniformLayout } from '../gpu/wgsl.js';

export interface StepRecord {
  epoch: number;
  position: number;
  count: number;
  t: number;
  /** α of this step. */
  rate: number;
}

const LAYOUT = parseUniformLayout(stepLib, 'StepRecord');

export class StepTable {
  readonly buffer: GPUBuffer;
  /** Bytes between records: the device's minUniformBufferOffsetAlignment. */
  readonly stride: number;
  /** The binding each kernel's `step` takes: one record. */
  readonly binding: GPUBufferBinding;

  constructor(
    private readonly ctx: GpuContext,
    readonly capacity: number,
    label: string,
  ) {
    this.stride = Math.max(LAYOUT.size, ctx.limits.minUniformBufferOffsetAlignment);
    this.buffer = ctx.createBuffer(`${label} step records`, this.stride * capacity, BufferUsage.UNIFORM | BufferUsage.COPY_DST);
    this.binding = { buffer: this.buffer, size: LAYOUT.size };
  }

  /** Writes `records` from slot 0; record i is then at byte offset `i · stride`. */
  write(records: readonly StepRecord[]): void {
    if (records.length > this.capacity) throw new Error(`${records.length} step records over a table of ${this.capacity}`);
    const bytes = new Uint8Array(this.stride * records.length);
    records.forEach((r, i) => bytes.set(new Uint8Array(packUniform(LAYOUT, { ...r }, 'step record')), i * this.stride));
    this.ctx.device.queue.writeBuffer(this.buffer, 0, bytes);
  }

  destroy(): void {
    this.ctx.release(this.buffer);
  }
}
