// Test-side GPU helpers: matrices laid into buffers as views with a guard value around them,
// outputs poisoned with NaN, readback that checks nothing outside a view was touched, and a
// runner that fails a case on any GPU error or leaked buffer.

import { type GpuContext, captureErrors } from '../../src/gpu/context.js';
import { BufferUsage } from '../../src/gpu/flags.js';
import type { GpuMatrix, GpuVector } from '../../src/gpu/matrix.js';
import type { HostMatrix } from '../../src/reference/matmul.js';
import { check } from './compare.js';

/** Written everywhere outside a view; any other value found there after a kernel is a stray write. */
export const GUARD = Math.fround(-12345.5);

export interface Layout {
  /** Elements before the view. */
  offset?: number;
  /** Row stride; elements between rows beyond `cols` are guard. */
  stride?: number;
  /** Guard elements after the view. */
  tail?: number;
}

/**
 * A buffer of the app's, not the library's: made on the context's device directly (as an app
 * embedding the library makes its own), holding `data` or `size` zero bytes. The library refuses
 * its own buffers as targets of its outputs, so tests hand it buffers like this one.
 */
export function appBuffer(ctx: GpuContext, label: string, data: Float32Array<ArrayBuffer> | number, usage = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST): GPUBuffer {
  const size = typeof data === 'number' ? data : data.byteLength;
  const buffer = ctx.device.createBuffer({ label, size: Math.max(4, Math.ceil(size / 4) * 4), usage });
  if (typeof data !== 'number') ctx.device.queue.writeBuffer(buffer, 0, data);
  return buffer;
}

/** Buffers made for one case (the app's own), destroyed together. */
export class Scratch {
  private readonly buffers: GPUBuffer[] = [];

  constructor(readonly ctx: GpuContext) {}

  private place(label: string, rows: number, cols: number, layout: Layout, value: (i: number, j: number) => number): GpuMatrix {
    const offset = layout.offset ?? 0;
    const stride = layout.stride ?? cols;
    const data = new Float32Array(offset + (rows - 1) * stride + cols + (layout.tail ?? 0)).fill(GUARD);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[offset + i * stride + j] = value(i, j);
    const buffer = appBuffer(this.ctx, label, data);
    this.buffers.push(buffer);
    return { buffer, rows, cols, offset, stride };
  }

  /** `host` as a view in a new buffer, guard everywhere else. */
  matrix(label: string, host: HostMatrix, layout: Layout = {}): GpuMatrix {
    return this.place(label, host.rows, host.cols, layout, (i, j) => host.data[i * host.cols + j]!);
  }

  /** An output view filled with `fill` (NaN: an element the kernel fails to write cannot pass). */
  output(label: string, rows: number, cols: number, layout: Layout = {}, fill = NaN): GpuMatrix {
    return this.place(label, rows, cols, layout, () => fill);
  }

  /** A contiguous vector view of `values`, guard around it. */
  vector(label: string, values: ArrayLike<number>, layout: Layout = {}): GpuVector {
    const m = this.place(label, 1, values.length, layout, (_, j) => values[j]!);
    return { buffer: m.buffer, length: values.length, offset: m.offset ?? 0 };
  }

  /** Reads a view back, failing if any element outside it no longer holds GUARD. */
  async read(view: GpuMatrix | GpuVector): Promise<Float64Array> {
    const m: GpuMatrix = 'rows' in view ? view : { buffer: view.buffer, rows: 1, cols: view.length, offset: view.offset ?? 0 };
    const offset = m.offset ?? 0;
    const stride = m.stride ?? m.cols;
    const all = await this.ctx.read(m.buffer);
    const out = new Float64Array(m.rows * m.cols);
    const inside = new Uint8Array(all.length);
    for (let i = 0; i < m.rows; i++) {
      for (let j = 0; j < m.cols; j++) {
        out[i * m.cols + j] = all[offset + i * stride + j]!;
        inside[offset + i * stride + j] = 1;
      }
    }
    for (let e = 0; e < all.length; e++) {
      check(inside[e] || Object.is(all[e], GUARD), `"${m.buffer.label}": element ${e} outside the view was overwritten with ${all[e]}`);
    }
    return out;
  }

  release(): void {
    for (const b of this.buffers.splice(0)) b.destroy();
  }
}

/** One test case, the same in Node and in Chromium. `run` throws on failure. */
export interface GpuCase {
  name: string;
  run(gpu: Scratch): Promise<void>;
}

/**
 * Runs a case inside validation, out-of-memory and internal error scopes (any GPU error fails
 * it), then checks that it left no buffer behind.
 */
export async function runCase(ctx: GpuContext, c: GpuCase): Promise<void> {
  ctx.unusedBinding(); // created once per context on first use (the read-only one and the writable one): make them before counting
  ctx.unusedBinding('writable');
  const before = ctx.stats().buffers;
  const scratch = new Scratch(ctx);
  try {
    await captureErrors(ctx.device, c.name, () => c.run(scratch));
  } finally {
    scratch.release();
  }
  const after = ctx.stats().buffers;
  check(after === before, `${c.name}: ${after - before} buffers left alive`);
}

/**
 * Counts the readbacks (GPUBuffer.mapAsync calls, on any buffer of the device) made while `fn`
 * runs: the proof that a path reads nothing back. `sample` is any buffer, to find the class.
 */
export async function countMapAsync(sample: GPUBuffer, fn: () => Promise<unknown>): Promise<number> {
  let owner: { mapAsync: GPUBuffer['mapAsync'] } = Object.getPrototypeOf(sample);
  while (owner && !Object.prototype.hasOwnProperty.call(owner, 'mapAsync')) owner = Object.getPrototypeOf(owner);
  if (!owner) throw new Error('GPUBuffer.mapAsync not found on the buffer class');
  const original = owner.mapAsync;
  let calls = 0;
  owner.mapAsync = function (this: GPUBuffer, ...args: Parameters<GPUBuffer['mapAsync']>) {
    calls++;
    return original.apply(this, args);
  };
  try {
    await fn();
  } finally {
    owner.mapAsync = original;
  }
  return calls;
}

/**
 * Counts the GPU buffers and textures created on `device` and destroyed while `fn` runs (by the
 * library or anyone else): what is still alive afterwards is `created − destroyed`.
 */
export async function countGpuObjects(device: GPUDevice, sample: GPUBuffer, fn: () => Promise<unknown>): Promise<{ created: number; destroyed: number; alive: number }> {
  const live = new Set<object>();
  let created = 0;
  let destroyed = 0;
  const originals = { createBuffer: device.createBuffer, createTexture: device.createTexture };
  let owner: { destroy: GPUBuffer['destroy'] } = Object.getPrototypeOf(sample);
  while (owner && !Object.prototype.hasOwnProperty.call(owner, 'destroy')) owner = Object.getPrototypeOf(owner);
  const destroyBuffer = owner.destroy;
  device.createBuffer = function (this: GPUDevice, d: GPUBufferDescriptor) {
    const b = originals.createBuffer.call(this, d);
    created++;
    live.add(b);
    return b;
  };
  device.createTexture = function (this: GPUDevice, d: GPUTextureDescriptor) {
    const t = originals.createTexture.call(this, d);
    created++;
    live.add(t);
    const destroy = t.destroy.bind(t);
    t.destroy = () => {
      if (live.delete(t)) destroyed++;
      destroy();
    };
    return t;
  };
  owner.destroy = function (this: GPUBuffer) {
    if (live.delete(this)) destroyed++;
    return destroyBuffer.call(this);
  };
  try {
    await fn();
  } finally {
    device.createBuffer = originals.createBuffer;
    device.createTexture = originals.createTexture;
    owner.destroy = destroyBuffer;
  }
  return { created, destroyed, alive: live.size };
}
