// How the library names data that lives on the GPU: a matrix or vector is a view (offset,
// stride) into a GPUBuffer of f32, so one buffer can hold many layers, chunks or columns.

import { show } from '../show.js';
import { ArgumentError } from './errors.js';
import { BufferUsage } from './flags.js';

/** A row-major f32 matrix in `buffer`: element (i, j) is at `offset + i·stride + j`. */
export interface GpuMatrix {
  buffer: GPUBuffer;
  rows: number;
  cols: number;
  /** Element (not byte) offset of element (0, 0). Default 0. */
  offset?: number;
  /** Elements between the starts of consecutive rows; at least `cols`. Default `cols`. */
  stride?: number;
}

/** An f32 vector in `buffer`: element j is at `offset + j·stride`. */
export interface GpuVector {
  buffer: GPUBuffer;
  length: number;
  offset?: number;
  /** Elements between consecutive entries. Default 1. */
  stride?: number;
}

/** Checks an integer count (a size, an offset, a stride) of at least `min`. */
export function checkCount(name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ArgumentError(name, `must be an integer ≥ ${min}, got ${show(v)}`);
  }
  return v;
}

/** Whether `v` is a GPUBuffer, by shape: the `webgpu` package and browsers have different classes. */
export function isGpuBuffer(v: unknown): v is GPUBuffer {
  const b = v as GPUBuffer | null | undefined;
  return !!b && typeof b === 'object' && typeof b.size === 'number' && typeof b.usage === 'number';
}

function checkBuffer(name: string, buffer: unknown): GPUBuffer {
  const b = buffer as GPUBuffer;
  if (!isGpuBuffer(b)) {
    throw new ArgumentError(`${name}.buffer`, 'must be a GPUBuffer');
  }
  if (!(b.usage & BufferUsage.STORAGE)) {
    throw new ArgumentError(`${name}.buffer`, `"${b.label}" lacks GPUBufferUsage.STORAGE`);
  }
  return b;
}

/** Checks a matrix view and returns it with defaults filled in. */
export function checkMatrix(name: string, m: GpuMatrix): Required<GpuMatrix> {
  if (!m || typeof m !== 'object') throw new ArgumentError(name, 'must be a GpuMatrix { buffer, rows, cols, offset?, stride? }');
  const buffer = checkBuffer(name, m.buffer);
  const rows = checkCount(`${name}.rows`, m.rows, 1);
  const cols = checkCount(`${name}.cols`, m.cols, 1);
  const offset = checkCount(`${name}.offset`, m.offset ?? 0, 0);
  const stride = checkCount(`${name}.stride`, m.stride ?? cols, cols);
  const end = offset + (rows - 1) * stride + cols;
  if (end * 4 > buffer.size) {
    throw new ArgumentError(name, `a ${rows}×${cols} view at offset ${offset}, stride ${stride} needs ${end} elements, but "${buffer.label}" holds ${buffer.size / 4}`);
  }
  return { buffer, rows, cols, offset, stride };
}

/** Checks a vector view and returns it with defaults filled in. */
export function checkVector(name: string, v: GpuVector): Required<GpuVector> {
  if (!v || typeof v !== 'object') throw new ArgumentError(name, 'must be a GpuVector { buffer, length, offset?, stride? }');
  const buffer = checkBuffer(name, v.buffer);
  const length = checkCount(`${name}.length`, v.length, 1);
  const offset = checkCount(`${name}.offset`, v.offset ?? 0, 0);
  const stride = checkCount(`${name}.stride`, v.stride ?? 1, 1);
  const end = offset + (length - 1) * stride + 1;
  if (end * 4 > buffer.size) {
    throw new ArgumentError(name, `${length} elements at offset ${offset}, stride ${stride} need ${end} elements, but "${buffer.label}" holds ${buffer.size / 4}`);
  }
  return { buffer, length, offset, stride };
}

/** A kernel may not read a buffer it writes in the same dispatch (WebGPU forbids it). */
export function checkDistinct(output: string, out: GPUBuffer, inputs: Record<string, GPUBuffer | undefined>): void {
  for (const [name, buffer] of Object.entries(inputs)) {
    if (buffer === out) {
      throw new ArgumentError(output, `shares buffer "${out.label}" with ${name}; a kernel cannot read and write one buffer in a dispatch`);
    }
  }
}

/** Every buffer a kernel binds whole must fit one storage binding on this device. */
export function checkBindable(buffers: Record<string, GPUBuffer | undefined>, limits: GPUSupportedLimits): void {
  for (const [name, buf] of Object.entries(buffers)) {
    if (buf && buf.size > limits.maxStorageBufferBindingSize) {
      throw new ArgumentError(name, `buffer "${buf.label}" is ${buf.size} bytes, over this device's maxStorageBufferBindingSize (${limits.maxStorageBufferBindingSize}); split it`);
    }
  }
}
