// The cost surface of one-feature linear regression on the GPU: shaders/cost_surface.wgsl
// writes J(θ₀, θ₁) (or log₁₀ J) over a rows × cols grid of θ into the caller's buffer — what a
// heat map (src/plot) draws straight from, with no readback. Float64 oracle:
// src/reference/regression.ts (costSurface).

import { show } from '../show.js';
import costSurfaceWgsl from '../../shaders/cost_surface.wgsl?raw';
import type { GpuContext } from '../gpu/context.js';
import { ArgumentError } from '../gpu/errors.js';
import { isF32 } from '../gpu/f32.js';
import { BufferUsage } from '../gpu/flags.js';
import { type KernelSpec, encodePass, grid1d } from '../gpu/kernel.js';
import { BUFFER_TARGET, checkOptions, kinds, optionTable } from '../options.js';

export const COST_SURFACE: KernelSpec = { name: 'cost_surface', sources: [costSurfaceWgsl] };

const WORKGROUP_SIZE = 64;

export interface CostSurfaceOptions {
  /** The examples: one feature value and one target each (as the model sees them: normalised, if it normalises). */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** θ₀ over the columns, θ₁ over the rows: [first, last] (inclusive). */
  theta0: readonly [number, number];
  theta1: readonly [number, number];
  /** Grid size, each 2 … 4096. */
  cols: number;
  rows: number;
  /** Write log₁₀ J instead of J (contours over decades). Default false. */
  log10?: boolean;
}

const RANGE = kinds.tuple(kinds.f32(), kinds.f32());
const SIDE = kinds.integer(2, 4096);
const COST_SURFACE_OPTIONS = optionTable<CostSurfaceOptions>('costSurface options', {
  x: kinds.required(kinds.data('1 to 2²⁴ numbers')), y: kinds.required(kinds.data('1 to 2²⁴ numbers')),
  theta0: kinds.required(RANGE), theta1: kinds.required(RANGE), cols: kinds.required(SIDE), rows: kinds.required(SIDE), log10: kinds.boolean,
});
const SURFACE_TARGET = optionTable('costSurface target', BUFFER_TARGET);

function values(name: string, v: ArrayLike<number>): Float32Array<ArrayBuffer> {
  if (!v || typeof v.length !== 'number' || v.length < 1 || v.length > 1 << 24) throw new ArgumentError(name, 'must be 1 to 2²⁴ numbers');
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    if (!isF32(v[i])) throw new ArgumentError(`${name}[${i}]`, `must be a number finite in float32, got ${show(v[i])}`);
    out[i] = v[i]!;
  }
  return out;
}

function range(name: string, r: readonly [number, number]): [number, number] {
  if (!(r[1] > r[0])) throw new ArgumentError(name, `must be [first, last] with first < last, both finite in float32, got ${show(r)}`);
  return [r[0], r[1]];
}

/**
 * J(θ₀, θ₁) = 1/(2m) Σ (θ₀ + θ₁x − y)² over the grid, rows × cols row-major (row r: θ₁ =
 * θ₁[0] + r·Δθ₁; column c: θ₀ = θ₀[0] + c·Δθ₀), written into `target.buffer` (COPY_DST, STORAGE;
 * one of the app's own) from element `target.offset`. Resolves once the work is queued.
 */
export async function costSurface(ctx: GpuContext, o: CostSurfaceOptions, target: { buffer: GPUBuffer; offset?: number }): Promise<void> {
  checkOptions('options', o, COST_SURFACE_OPTIONS);
  checkOptions('target', target, SURFACE_TARGET);
  const x = values('options.x', o.x);
  const y = values('options.y', o.y);
  if (y.length !== x.length) throw new ArgumentError('options.y', `holds ${y.length} targets for ${x.length} examples`);
  const [t0, t1] = [range('options.theta0', o.theta0), range('options.theta1', o.theta1)];
  const offset = target.offset ?? 0;
  const buffer = target.buffer;
  if (!(buffer.usage & BufferUsage.STORAGE)) throw new ArgumentError('target.buffer', 'must be a GPUBuffer with STORAGE usage');
  if (ctx.owns(buffer)) throw new ArgumentError('target.buffer', "is one of the library's own buffers: give a buffer of your own");
  if (!Number.isInteger(offset) || offset < 0 || (offset + o.rows * o.cols) * 4 > buffer.size) throw new ArgumentError('target', `holds ${buffer.size / 4} floats; a ${o.rows} × ${o.cols} surface from element ${offset} needs ${offset + o.rows * o.cols}`);
  const kernel = ctx.kernel(COST_SURFACE);
  const made: GPUBuffer[] = [];
  try {
    made.push(ctx.upload('cost surface x', x), ctx.upload('cost surface y', y));
    made.push(ctx.createUniform('cost surface params', kernel.params({
      m: x.length, rows: o.rows, cols: o.cols, offset, log10: o.log10 ? 1 : 0,
      theta0_min: t0[0], theta0_step: (t0[1] - t0[0]) / (o.cols - 1), theta1_min: t1[0], theta1_step: (t1[1] - t1[0]) / (o.rows - 1),
    })));
    const [xs, ys, params] = made as [GPUBuffer, GPUBuffer, GPUBuffer];
    const dispatch = {
      label: 'cost surface',
      pipeline: await kernel.pipeline({ WORKGROUP_SIZE }),
      bindGroups: kernel.bindGroups({ x: xs, y: ys, surface: buffer, params }, 'cost surface'),
      workgroups: grid1d(o.rows * o.cols, WORKGROUP_SIZE, ctx.limits.maxComputeWorkgroupsPerDimension, 'options'),
    };
    await ctx.submit('cost surface', (enc) => encodePass(enc, 'cost surface', [dispatch]));
  } finally {
    // Destroying after submit is safe: the queued work keeps what it uses.
    for (const b of made) ctx.release(b);
  }
}
