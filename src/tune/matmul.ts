// Timing the matrix multiply's candidate tilings on this context's adapter, once per class of
// shapes (shapeClass: each dimension to its power of two, and the transposes), and keeping the
// fastest for createMatmul (src/gpu/tuning.ts). Opt-in: a timing compiles every candidate's
// pipeline, which is the fixed cost the rest of the library avoids — an app calls it once, at
// start or in a settings page, for the shapes it multiplies.
//
// Only unsplit tiled candidates are timed: they sum every element of C in the same order, so
// what is chosen changes the speed, never the result (tests check the bits). Software adapters
// have one kernel (the blocked one) and nothing to choose unless `force` asks for a timing anyway
// (how the tests exercise this code without a GPU).

import type { GpuContext } from '../gpu/context.js';
import { ArgumentError } from '../gpu/errors.js';
import { BufferUsage } from '../gpu/flags.js';
import { encodePass } from '../gpu/kernel.js';
import { keepTuned, shapeClass, tuned } from '../gpu/tuning.js';
import { type OptionTable, checkOptions, kinds, optionTable } from '../options.js';
import { type MatmulShape, createMatmul } from '../kernels/matmul.js';
import { TILINGS, type Tiling, fitsDevice } from './tilings.js';

/** The candidates timed: the tiled kernel's workgroup shapes, with 4×4 and 8×8 register tiles, scalar and vec4 loads. */
export const TUNING_CANDIDATES = ['large', 'medium', 'narrow', 'tall', 'wide', 'shallow', 'regLarge', 'regMedium', 'regWide', 'vec4Medium', 'vec4Large', 'vec4RegLarge'] as const;
type Candidate = (typeof TUNING_CANDIDATES)[number];

export interface TuneOptions {
  /** Time on a software adapter too (it then picks among tiled kernels it would never run by itself). */
  force?: boolean;
  /** Timed submits per candidate; the median counts. Default 3. */
  repeats?: number;
  /** Bytes the scratch operands of one shape may take in all; larger shapes are timed scaled down to it. Default 64 MiB. */
  maxBytes?: number;
}

export interface TuneReport {
  shape: string;
  /** Median milliseconds per product of each candidate that fits this device, and the chosen one. */
  milliseconds: Partial<Record<Candidate, number>>;
  chosen: Candidate | 'blocked';
  /** Whether the class had been timed before on this context (nothing was run). */
  cached: boolean;
}

const TUNE_OPTIONS: OptionTable<TuneOptions> = optionTable<TuneOptions>('tuneMatmul options', {
  force: kinds.boolean,
  repeats: kinds.integer(1, 15),
  maxBytes: kinds.integer(4096, Number.MAX_SAFE_INTEGER, ' (bytes)'),
});

const now = () => performance.now();

/** `shape` scaled down (m and n halved in turn) until its operands fit `maxBytes`. */
function within(shape: MatmulShape, maxBytes: number): MatmulShape {
  const s = { ...shape };
  while (4 * (s.m * s.k + s.k * s.n + s.m * s.n) > maxBytes && (s.m > 64 || s.n > 64)) {
    if (s.m >= s.n) s.m = Math.ceil(s.m / 2);
    else s.n = Math.ceil(s.n / 2);
  }
  return s;
}

/** Median ms of one product with `tiling`, over `repeats` submits sized to take about 2 ms each. */
async function timeCandidate(ctx: GpuContext, shape: MatmulShape, tiling: Tiling, repeats: number, buffers: GPUBuffer[]): Promise<number> {
  const [a, b, c] = buffers as [GPUBuffer, GPUBuffer, GPUBuffer];
  const A = shape.transA ? { buffer: a, rows: shape.k, cols: shape.m } : { buffer: a, rows: shape.m, cols: shape.k };
  const B = shape.transB ? { buffer: b, rows: shape.n, cols: shape.k } : { buffer: b, rows: shape.k, cols: shape.n };
  const op = await createMatmul(ctx, { buffer: c, rows: shape.m, cols: shape.n }, A, B, { transA: shape.transA, transB: shape.transB, tiling, splitK: 1 });
  try {
    const run = async (count: number) => {
      await ctx.submit('tune matmul', (enc) => {
        for (let i = 0; i < count; i++) encodePass(enc, 'tune matmul', op.dispatches);
      });
      await ctx.device.queue.onSubmittedWorkDone();
    };
    let t = now();
    await run(1); // compiled and warm
    t = now();
    await run(1);
    const once = Math.max(0.01, now() - t);
    const count = Math.max(1, Math.min(64, Math.round(2 / once)));
    const times: number[] = [];
    for (let r = 0; r < repeats; r++) {
      t = now();
      await run(count);
      times.push((now() - t) / count);
    }
    times.sort((x, y) => x - y);
    return times[Math.floor(times.length / 2)]!;
  } finally {
    op.destroy();
  }
}

/**
 * Times the candidate tilings for each shape's class not timed before on `ctx` and keeps the
 * fastest: later products of that class (createMatmul, every model's layers) use it. Returns what
 * was measured. Bounded: at most TUNING_CANDIDATES.length candidates × (2 + repeats) submits of
 * about 2 ms per class, on scratch operands of at most maxBytes.
 */
export async function tuneMatmul(ctx: GpuContext, shapes: readonly MatmulShape[], options: TuneOptions = {}): Promise<TuneReport[]> {
  checkOptions('options', options, TUNE_OPTIONS);
  const repeats = options.repeats ?? 3;
  const maxBytes = options.maxBytes ?? 64 * 2 ** 20;
  const reports: TuneReport[] = [];
  for (const [i, shape] of shapes.entries()) {
    for (const d of ['m', 'n', 'k'] as const) {
      if (!Number.isInteger(shape[d]) || shape[d] < 1) throw new ArgumentError(`shapes[${i}].${d}`, `must be an integer ≥ 1, got ${shape[d]}`);
    }
    const key = shapeClass(shape);
    const known = tuned<Tiling>(ctx, key);
    const name = (t: Tiling | undefined) => TUNING_CANDIDATES.find((n) => TILINGS[n] === t) ?? 'blocked';
    if (known || (ctx.adapter.isFallbackAdapter && !options.force)) {
      reports.push({ shape: key, milliseconds: {}, chosen: known ? name(known) : 'blocked', cached: !!known });
      continue;
    }
    const s = within(shape, maxBytes);
    const usage = BufferUsage.STORAGE | BufferUsage.COPY_DST;
    const buffers = [s.m * s.k, s.k * s.n, s.m * s.n].map((floats, j) => ctx.createBuffer(`tune matmul ${'abc'[j]}`, floats * 4, usage));
    try {
      const milliseconds: Partial<Record<Candidate, number>> = {};
      for (const candidate of TUNING_CANDIDATES) {
        const t = TILINGS[candidate];
        if (!fitsDevice(t, ctx.limits)) continue;
        milliseconds[candidate] = await timeCandidate(ctx, s, t, repeats, buffers);
      }
      const chosen = (Object.keys(milliseconds) as Candidate[]).reduce((best, c) => (milliseconds[c]! < milliseconds[best]! ? c : best));
      keepTuned(ctx, key, TILINGS[chosen]);
      reports.push({ shape: key, milliseconds, chosen, cached: false });
    } finally {
      for (const b of buffers) ctx.release(b);
    }
  }
  return reports;
}
