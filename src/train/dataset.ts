// Examples as users hold them (arrays of rows) checked and moved to the GPU once, in chunks that
// each fit one storage binding, as design matrices x̃ = [1, (x − μ)/σ] (or [1, x]) next to the
// targets. Features in CPU memory are laid out on the CPU while they are copied, with μ and σ
// computed there on a first fit (./design.ts); features in GPU buffers go through the GPU passes
// (shaders/feature_stats.wgsl, shaders/design_matrix.wgsl). The user's arrays
// are only read — and a float32 table is not copied at all: it is scanned for NaN and ±∞ when
// the call is made and read again by the upload when the fit starts (and after a lost device),
// so it must not change until the run settles.

import type { GpuContext } from '../gpu/context.js';
import { show } from '../options.js';
import { F32_MAX, firstNonFinite } from '../gpu/f32.js';
import { ArgumentError } from '../gpu/errors.js';
import { BufferUsage } from '../gpu/flags.js';
import { encodeDispatch } from '../gpu/kernel.js';
import { isGpuBuffer } from '../gpu/matrix.js';
import { createDesignMatrix } from '../kernels/design_matrix.js';
import { createFeatureStats, statsOf } from '../kernels/feature_stats.js';
import { type HostStats, type Layout, cpuLayout, writeDesign } from './design.js';
import type { TrainingData } from './program.js';
import { Random } from '../random.js';
import { type Label, isOneHot, labelIndices, oneHotIndices } from './labels.js';
import { MAX_EXAMPLES } from './shuffle.js';

/**
 * Examples checked and ready to upload: a row-major f32 table in CPU memory (`data`), or a
 * view of a caller's GPU buffer (`gpu`), one row per example.
 */
export interface HostExamples {
  rows: number;
  cols: number;
  data?: Float32Array<ArrayBuffer>;
  gpu?: { buffer: GPUBuffer; offset: number };
}

/**
 * Examples already on the GPU, for zero-copy input: rows × cols float32 values, row-major (one
 * example after another, no padding), from element `offset` (default 0) of `buffer`, which
 * needs COPY_SRC usage. The library copies them on the GPU and never reads them back, so it
 * cannot check them for NaN: a NaN reaches the cost, where the divergence guard stops training.
 */
export interface GpuFeatures {
  buffer: GPUBuffer;
  rows: number;
  cols: number;
  offset?: number;
}

/** Targets already on the GPU: `length` float32 values from element `offset` of `buffer` (COPY_SRC usage). */
export interface GpuTargets {
  buffer: GPUBuffer;
  length: number;
  offset?: number;
}

/** Features as users pass them: an array of rows, a row-major `{ rows, cols, data }`, or a GPU buffer. */
export type FeaturesInput = ArrayLike<ArrayLike<number>> | { rows: number; cols: number; data: ArrayLike<number> } | GpuFeatures;

/**
 * Targets as users pass them: one number per example, a classifier's labels (its `classes`),
 * one-hot rows, or a GPU buffer of numbers.
 */
export type TargetsInput = ArrayLike<number> | readonly Label[] | readonly ArrayLike<number>[] | GpuTargets;

/** Targets checked and ready to upload. */
export type Targets = Float32Array<ArrayBuffer> | { buffer: GPUBuffer; offset: number };

/** Checks a GPU view: offset, size and COPY_SRC usage. */
function gpuView(name: string, v: { buffer: GPUBuffer; offset?: number }, floats: number): { buffer: GPUBuffer; offset: number } {
  const offset = v.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) throw new ArgumentError(`${name}.offset`, `must be an integer ≥ 0 (elements), got ${show(v.offset)}`);
  if (!(v.buffer.usage & BufferUsage.COPY_SRC)) throw new ArgumentError(`${name}.buffer`, 'needs COPY_SRC usage: the library copies the values on the GPU');
  if ((offset + floats) * 4 > v.buffer.size) {
    throw new ArgumentError(`${name}.buffer`, `holds ${v.buffer.size / 4} floats; ${floats} from element ${offset} need ${offset + floats}`);
  }
  return { buffer: v.buffer, offset };
}

/** The most float32 values one host table is copied into (16 GiB; a typed array's limit is 2³²). */
const MAX_HOST_VALUES = 2 ** 32 - 1;

function finiteF32(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(name, `must be a finite number, got ${show(v)}`);
  const f = Math.fround(v);
  if (!Number.isFinite(f)) throw new ArgumentError(name, `${v} is outside the f32 range the GPU computes in`);
  return f;
}

/** Checks features (at least one example, at least one feature, equal rows, finite) and copies them to f32. */
export function readFeatures(name: string, x: FeaturesInput, features?: number): HostExamples {
  if (x === null || typeof x !== 'object') throw new ArgumentError(name, 'must be an array of examples (each an array of features) or { rows, cols, data }');
  let out: HostExamples;
  if ('buffer' in x && isGpuBuffer(x.buffer)) {
    const { rows, cols } = x;
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 1) {
      throw new ArgumentError(name, `rows and cols must be integers (cols ≥ 1), got ${rows}×${cols}`);
    }
    out = { rows, cols, gpu: gpuView(name, x, rows * cols) };
  } else if ('data' in x && 'rows' in x && 'cols' in x) {
    const { rows, cols, data } = x;
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 1) {
      throw new ArgumentError(name, `rows and cols must be integers (cols ≥ 1), got ${rows}×${cols}`);
    }
    if (data?.length !== rows * cols) throw new ArgumentError(`${name}.data`, `must hold rows·cols = ${rows * cols} values, got ${data?.length}`);
    // Typed arrays take fast paths: float32 values are only scanned (no copy: the upload reads
    // them where they are), others copied to f32 once with the scan in the same pass.
    if (data instanceof Float32Array && data.buffer instanceof ArrayBuffer) {
      const at = firstNonFinite(data);
      if (at >= 0) finiteF32(`${name}.data[${at}]`, data[at]);
      out = { rows, cols, data: data as Float32Array<ArrayBuffer> };
    } else if (ArrayBuffer.isView(data)) {
      const f32 = new Float32Array(data as unknown as ArrayLike<number>);
      const at = firstNonFinite(f32);
      if (at >= 0) finiteF32(`${name}.data[${at}]`, data[at]);
      out = { rows, cols, data: f32 };
    } else {
      const f32 = new Float32Array(rows * cols);
      for (let i = 0; i < rows * cols; i++) f32[i] = finiteF32(`${name}.data[${i}]`, data[i]);
      out = { rows, cols, data: f32 };
    }
  } else {
    const table = x as ArrayLike<ArrayLike<number>>;
    const rows = table.length;
    if (typeof rows !== 'number') throw new ArgumentError(name, 'must be an array of examples');
    const first = rows > 0 ? table[0] : undefined;
    const cols = first?.length ?? 0;
    if (rows > 0 && (typeof cols !== 'number' || cols < 1)) throw new ArgumentError(`${name}[0]`, 'must be an array of at least one feature');
    // Sized from the caller's lengths (an array with holes can claim 10⁹ rows): checked before the allocation.
    if (rows > MAX_EXAMPLES || rows * cols > MAX_HOST_VALUES) throw new ArgumentError(name, `has ${rows.toLocaleString('en')} × ${cols.toLocaleString('en')} values, more than the ${MAX_HOST_VALUES.toLocaleString('en')} one host table may hold (${MAX_EXAMPLES.toLocaleString('en')} examples); pass a { rows, cols, data } typed array, or GPU buffers`);
    const f32 = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = table[i];
      if (!row || row.length !== cols) throw new ArgumentError(`${name}[${i}]`, `must have ${cols} features like ${name}[0], got ${row?.length ?? String(row)}`);
      for (let j = 0; j < cols; j++) f32[i * cols + j] = finiteF32(`${name}[${i}][${j}]`, row[j]);
    }
    out = { rows, cols, data: f32 };
  }
  if (out.rows === 0) throw new ArgumentError(name, 'has zero examples; at least one is needed');
  if (out.rows > MAX_EXAMPLES) throw new ArgumentError(name, `has ${out.rows} examples, over the ${MAX_EXAMPLES} supported`);
  if (features !== undefined && out.cols !== features) {
    throw new ArgumentError(name, `examples have ${out.cols} features, but the model has ${features}`);
  }
  return out;
}

/**
 * A seeded held-out fraction of host examples: round(m·fraction) of them, drawn by a seeded
 * shuffle, become the validation set; the rest, in their original order, the training set.
 */
export function splitValidation(X: HostExamples, Y: Targets, fraction: number, seed: number): { train: [HostExamples, Targets]; held: [HostExamples, Targets] } {
  if (!X.data || !(Y instanceof Float32Array)) throw new ArgumentError('options.validationSplit', 'needs x and y in CPU memory; for data in GPU buffers pass options.validation');
  const { train, held } = heldOutRows(X.rows, fraction, seed);
  const part = (rows: number[]): [HostExamples, Targets] => [copyRows(X, rows), Float32Array.from(rows, (r) => Y[r]!)];
  return { train: part(train), held: part(held) };
}

/**
 * The examples a validation fraction holds out, as fit's validationSplit and gridSearch's
 * validationSplit both do: the first round(m·fraction) of Random(seed).permutation(m). Both parts
 * ascending; a fraction that leaves either empty is a named error.
 */
export function heldOutRows(m: number, fraction: number, seed: number): { train: number[]; held: number[] } {
  const count = Math.round(m * fraction);
  if (!(fraction > 0 && fraction < 1) || count < 1 || count > m - 1) {
    throw new ArgumentError('options.validationSplit', `${String(fraction)} of ${m} examples leaves ${count} to hold out and ${m - count} to train on; both need at least one`);
  }
  const out = new Set(new Random(seed).permutation(m).slice(0, count));
  const all = Array.from({ length: m }, (_, i) => i);
  return { train: all.filter((i) => !out.has(i)), held: all.filter((i) => out.has(i)) };
}

/** The rows `rows` of X (in CPU memory), copied in that order. */
export function copyRows(X: HostExamples, rows: readonly number[]): HostExamples & { data: Float32Array<ArrayBuffer> } {
  const n = X.cols;
  const data = new Float32Array(rows.length * n);
  rows.forEach((r, i) => data.set(X.data!.subarray(r * n, (r + 1) * n), i * n));
  return { rows: rows.length, cols: n, data };
}

/** What y holds: any value, a label 0/1, or a class 0…K−1 — the last two also by the model's labels or as one-hot rows. */
export type TargetKind = { kind: 'real' } | { kind: 'binary'; labels?: readonly Label[] } | { kind: 'class'; classes: number; labels?: readonly Label[] };

/**
 * Checks one target per example (a finite value, a label 0/1, or a class 0…K−1) and copies them
 * to f32. Targets on the GPU are checked for count and size only (values are not read back; a
 * class past K − 1 counts as K − 1).
 */
export function readTargets(name: string, y: TargetsInput, examples: number, kind: TargetKind): Targets {
  if (y && typeof y === 'object' && 'buffer' in y && isGpuBuffer(y.buffer)) {
    if (y.length !== examples) throw new ArgumentError(name, `has ${y.length} targets but x has ${examples} examples; they must match`);
    return gpuView(name, y as GpuTargets, examples);
  }
  if (y === null || typeof y !== 'object' || typeof y.length !== 'number') throw new ArgumentError(name, 'must be an array of numbers, one per example');
  let values = y as ArrayLike<number>;
  if (values.length !== examples) throw new ArgumentError(name, `has ${y.length} targets but x has ${examples} examples; they must match`);
  if (kind.kind !== 'real') {
    // One-hot rows, or the model's own labels: class indices from here on.
    if (isOneHot(values)) values = oneHotIndices(name, values, kind.kind === 'class' ? kind.classes : 2);
    else if (kind.labels) values = labelIndices(name, values, kind.labels);
  }
  const out = new Float32Array(examples);
  for (let i = 0; i < examples; i++) {
    // Labels are checked as given, before float32 rounds 2.0000000001 to the class 2.
    const given: unknown = values[i];
    if (kind.kind === 'binary' && given !== 0 && given !== 1) throw new ArgumentError(`${name}[${i}]`, `must be a label 0 or 1, got ${show(given)}`);
    if (kind.kind === 'class' && !(typeof given === 'number' && Number.isInteger(given) && given >= 0 && given < kind.classes)) {
      throw new ArgumentError(`${name}[${i}]`, `must be a class 0…${kind.classes - 1}, got ${show(given)}`);
    }
    out[i] = finiteF32(`${name}[${i}]`, given);
  }
  if (kind.kind === 'real') checkSquaredError(name, out, values);
  return out;
}

/**
 * Real-valued targets whose squared-error cost overflows float32 before training has taken a
 * step: J = (1/m) Σ ½(h − y)² is summed in float32, and at h ≈ 0 (where a fit starts) it is
 * ½ Σ y². Past 3.4e38 every epoch's cost would be infinite, and the divergence guard would
 * blame the learning rate; the targets are refused here instead, naming the largest.
 */
function checkSquaredError(name: string, y: Float32Array, given: ArrayLike<unknown>): void {
  let sum = 0;
  let largest = 0;
  for (let i = 0; i < y.length; i++) {
    sum += 0.5 * y[i]! * y[i]!;
    if (Math.abs(y[i]!) > Math.abs(y[largest]!)) largest = i;
  }
  if (sum <= F32_MAX) return;
  const scale = 10 ** Math.ceil(Math.log10(Math.sqrt(sum / F32_MAX)) + 3);
  throw new ArgumentError(`${name}[${largest}]`, `is ${show(given[largest])}: with it the squared-error cost ½·Σ y² = ${sum.toPrecision(3)} overflows float32 (3.4e38), so no epoch's cost could be measured. Scale the targets (divide them by ${scale.toExponential(0)}) or standardise them`);
}

export interface UploadOptions {
  /** Normalise with the statistics in `stats`. */
  normalize: boolean;
  /** The model's statistics buffer (src/kernels/feature_stats.ts: statsFloats(n) floats). */
  stats: GPUBuffer;
  /** Compute μ and σ from these examples into `stats` first (a model's first fit). */
  computeStats: boolean;
  /** Output columns per example, K: per-chunk scratch (z, e) must fit a binding too. */
  outputs: number;
  /** Lowers the bytes one binding may hold, below the device's maxStorageBufferBindingSize (tests use it to force chunks). */
  maxBindingBytes?: number;
  /** The model's μ and σ on the CPU, where it has them (./design.ts lays out x̃ with them); set when computed here. */
  cpu?: { stats: HostStats | undefined };
  /** Where x̃ of features in CPU memory is laid out (./design.ts; default: the CPU on a software adapter, the GPU on hardware). */
  layout?: Layout;
}

/** Bytes one storage binding may hold: the device's limit, or the caller's lower one. */
function bindingLimit(ctx: GpuContext, maxBindingBytes = Infinity): number {
  return Math.min(ctx.limits.maxStorageBufferBindingSize, maxBindingBytes);
}

/**
 * Largest number of examples per chunk: the design matrix and the K-wide scratch both fit one
 * binding (and one buffer), and every dispatch over a chunk's rows fits the device's grid
 * (matmul workgroups cover at least 4 rows each).
 */
export function rowsPerChunk(ctx: GpuContext, cols: number, outputs: number, maxBindingBytes = Infinity): number {
  const limit = Math.min(bindingLimit(ctx, maxBindingBytes), ctx.limits.maxBufferSize);
  const rows = Math.min(Math.floor(limit / (4 * Math.max(cols, outputs))), 4 * ctx.limits.maxComputeWorkgroupsPerDimension);
  if (rows < 1) throw new ArgumentError('options.maxBindingBytes', `${limit} bytes cannot hold one example of ${cols} floats`);
  return rows;
}

/** A training (or prediction) set on the GPU. */
export class GpuDataset implements TrainingData {
  private constructor(
    private readonly ctx: GpuContext,
    readonly examples: number,
    readonly cols: number,
    readonly chunks: { start: number; rows: number; x: GPUBuffer; y: GPUBuffer }[],
  ) {}

  static async upload(ctx: GpuContext, label: string, x: HostExamples, y: Targets | undefined, o: UploadOptions): Promise<GpuDataset> {
    const n = x.cols;
    const m = x.rows;
    const cols = n + 1;
    const per = rowsPerChunk(ctx, cols, o.outputs, o.maxBindingBytes);
    const limit = bindingLimit(ctx, o.maxBindingBytes);
    if (m * 4 > limit) throw new ArgumentError('x', `${m} examples need per-example buffers of ${m * 4} bytes, over one storage binding (${limit})`);
    if (n > ctx.limits.maxComputeWorkgroupsPerDimension) throw new ArgumentError('x', `${n} features are more than this device can normalise in one dispatch (${ctx.limits.maxComputeWorkgroupsPerDimension})`);
    const usage = BufferUsage.STORAGE | BufferUsage.COPY_DST | BufferUsage.COPY_SRC;
    const chunks: GpuDataset['chunks'] = [];
    const raw: GPUBuffer[] = [];
    const uniforms: GPUBuffer[] = [];
    const dataset = new GpuDataset(ctx, m, cols, chunks);
    try {
      // x̃ laid out on the CPU (software adapters: raw, or normalised with statistics the CPU has),
      // else on the GPU by its passes (features in GPU buffers, hardware adapters).
      const laid = cpuLayout(ctx, x.data, m, n, o);
      if (laid?.stats && o.computeStats) ctx.device.queue.writeBuffer(o.stats, 0, statsOf(laid.stats.mean, laid.stats.std));
      const direct = !!laid;
      const hostStats = laid?.stats;
      for (let start = 0; start < m; start += per) {
        const rows = Math.min(per, m - start);
        const i = chunks.length;
        if (!direct) {
          const r = ctx.createBuffer(`${label} raw x ${i}`, rows * n * 4, usage);
          raw.push(r);
          if (x.data) ctx.device.queue.writeBuffer(r, 0, x.data, start * n, rows * n);
        }
        const design = ctx.createBuffer(`${label} x̃ ${i}`, rows * cols * 4, usage);
        if (direct) writeDesign(ctx, design, x.data!, start, rows, n, o.normalize ? hostStats : undefined);
        let targets: GPUBuffer;
        try {
          targets = ctx.createBuffer(`${label} y ${i}`, rows * 4, usage);
        } catch (e) {
          ctx.release(design);
          throw e;
        }
        chunks.push({ start, rows, x: design, y: targets });
        if (y instanceof Float32Array) ctx.device.queue.writeBuffer(targets, 0, y, start, rows);
      }
      const rawChunks = direct ? [] : chunks.map((c, i) => ({ x: raw[i]!, rows: c.rows }));
      const dispatches = o.computeStats && !direct ? await createFeatureStats(ctx, label, o.stats, rawChunks, n, uniforms) : [];
      for (const [i, chunk] of rawChunks.entries()) {
        dispatches.push(await createDesignMatrix(ctx, { label: `${label} design ${i}`, x: chunk.x, stats: o.stats, design: chunks[i]!.x, rows: chunk.rows, features: n, normalize: o.normalize }, uniforms));
      }
      // Host data laid out on the CPU has nothing to run here: no submit, no round trip.
      const copies = !!x.gpu || (!!y && !(y instanceof Float32Array));
      if (copies || dispatches.length > 0) await ctx.submit(`${label} upload`, (enc) => {
        // Inputs already on the GPU are copied there, chunk by chunk: nothing is read back.
        chunks.forEach((chunk, i) => {
          if (x.gpu) enc.copyBufferToBuffer(x.gpu.buffer, (x.gpu.offset + chunk.start * n) * 4, raw[i]!, 0, chunk.rows * n * 4);
          if (y && !(y instanceof Float32Array)) enc.copyBufferToBuffer(y.buffer, (y.offset + chunk.start) * 4, chunk.y, 0, chunk.rows * 4);
        });
        const pass = enc.beginComputePass({ label: `${label} features` });
        for (const d of dispatches) encodeDispatch(pass, d);
        pass.end();
      });
      return dataset;
    } catch (e) {
      dataset.destroy();
      throw e;
    } finally {
      for (const b of [...raw, ...uniforms]) ctx.release(b);
    }
  }

  destroy(): void {
    for (const c of this.chunks.splice(0)) {
      this.ctx.release(c.x);
      this.ctx.release(c.y);
    }
  }
}
