// The GPU context every kernel and model runs in: the device (the caller's own, or one it
// requested), the adapter it came from, the kernel cache, and the buffers it created.

import { type AdapterSummary, CONTEXT_OPTIONS, type ContextOptions, requestOwnDevice, summarize } from './adapter.js';
import { ArgumentError, GpuError } from './errors.js';
import { checkOptions } from '../options.js';
import { BufferUsage, MapMode } from './flags.js';
import { Kernel, type KernelSpec } from './kernel.js';

export type { AdapterSummary, ContextOptions } from './adapter.js';

/**
 * Creates a context from the caller's device, or requests an adapter and device: from
 * `options.gpu`, else `navigator.gpu`, else (in Node) the `webgpu` package. Throws
 * NoAdapterError, saying what to install, when no adapter exists. Never falls back to the CPU.
 */
export async function createContext(options: ContextOptions = {}): Promise<GpuContext> {
  checkOptions('options', options, CONTEXT_OPTIONS);
  if (options.device) {
    const info = (options.device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo;
    const fallback = !!(info as (GPUAdapterInfo & { isFallbackAdapter?: boolean }) | undefined)?.isFallbackAdapter;
    return new GpuContext(options.device, summarize(info, fallback, 'caller-device'), false, undefined, options.limits ?? {}, options.warmModels);
  }
  const acquire = () => requestOwnDevice(options);
  const { device, adapter } = await acquire();
  return new GpuContext(device, adapter, true, acquire, options.limits ?? {}, options.warmModels);
}

/** `ctx`, checked to be a context from createContext(). */
export function checkContext(ctx: unknown): GpuContext {
  if (!(ctx instanceof GpuContext)) throw new ArgumentError('ctx', `must be a GpuContext from createContext(), got ${ctx === null ? 'null' : typeof ctx}`);
  return ctx;
}

/** A device plus everything the library keeps for it. Independent contexts share nothing. */
export class GpuContext {
  private readonly kernels = new Map<string, Kernel>();
  private readonly owned = new Map<GPUBuffer, number>();
  private placeholder: GPUBuffer | undefined;
  private writablePlaceholder: GPUBuffer | undefined;
  private current: GPUDevice;
  private summary: AdapterSummary;
  private lostInfo: { reason: string; message: string } | undefined;
  private destroyed = false;

  constructor(
    device: GPUDevice,
    adapter: AdapterSummary,
    /** True when the context requested the device itself and so may destroy it. */
    readonly ownsDevice: boolean,
    /** How a context that owns its device gets a new one after a loss. */
    private readonly acquire?: () => Promise<{ device: GPUDevice; adapter: AdapterSummary }>,
    /** Limits lowered below the device's (ContextOptions.limits). */
    private readonly lowered: Record<string, number> = {},
    /** Whether models start building their pipelines when constructed (ContextOptions.warmModels). */
    readonly warmModels = true,
  ) {
    this.current = device;
    this.summary = adapter;
    this.watch(device);
  }

  /** The device the context works on (a new one after recover()). */
  get device(): GPUDevice {
    return this.current;
  }

  get adapter(): AdapterSummary {
    return this.summary;
  }

  /** Set once the device is lost (destroyed, reset, removed): reason and message. Cleared by recover(). */
  get lost(): { reason: string; message: string } | undefined {
    return this.lostInfo;
  }

  private watch(device: GPUDevice): void {
    void device.lost.then((info) => {
      if (this.current === device && !this.destroyed) this.lostInfo = { reason: info.reason ?? 'unknown', message: info.message };
    });
  }

  /**
   * After the device was lost, requests a new adapter and device (only a context that requested
   * its own: an app's device is the app's to replace). Every buffer and pipeline of the old
   * device is gone; models rebuild theirs from a checkpoint (fit() does this by itself).
   */
  async recover(): Promise<void> {
    this.checkAlive();
    if (!this.ownsDevice || !this.acquire) throw new Error('the device belongs to the app: create a new context on a new device (createContext({ device })) and restore the model there');
    const { device, adapter } = await this.acquire();
    this.owned.clear();
    this.kernels.clear();
    this.placeholder = undefined;
    this.writablePlaceholder = undefined;
    this.current = device;
    this.summary = adapter;
    this.lostInfo = undefined;
    this.watch(device);
  }

  /** The device's limits, or lower ones the context was asked to work within. */
  get limits(): GPUSupportedLimits {
    const device = this.device.limits;
    if (Object.keys(this.lowered).length === 0) return device;
    const lowered = this.lowered;
    return new Proxy(device, {
      get: (target, key) => {
        const value = Reflect.get(target, key, target) as unknown;
        if (typeof value === 'function') return (value as (...a: unknown[]) => unknown).bind(target);
        return typeof key === 'string' && key in lowered ? Math.min(value as number, lowered[key]!) : value;
      },
    });
  }

  /** The compiled kernel for `spec`, built once per context and reused. */
  kernel(spec: KernelSpec): Kernel {
    let k = this.kernels.get(spec.name);
    if (!k) {
      k = new Kernel(this.device, spec);
      this.kernels.set(spec.name, k);
    }
    return k;
  }

  /** A destroyed context stays destroyed: nothing is made on it, and it gets no new device. */
  private checkAlive(): void {
    if (this.destroyed) throw new Error('this wgsl-learn context was destroyed: create a new one (createContext())');
  }

  /** A labelled buffer that the context tracks and frees in `destroy()`. */
  createBuffer(label: string, size: number, usage: number): GPUBuffer {
    this.checkAlive();
    // Buffers are bound whole, so round up to the 4-byte granularity copies and bindings need.
    const bytes = Math.max(4, Math.ceil(size / 4) * 4);
    if (bytes > this.limits.maxBufferSize) {
      throw new ArgumentError(label, `needs ${bytes} bytes, over this device's maxBufferSize of ${this.limits.maxBufferSize}`);
    }
    const buffer = this.device.createBuffer({ label, size: bytes, usage });
    this.owned.set(buffer, bytes);
    return buffer;
  }

  /** Uploads `data` into a new storage buffer (also a copy source and destination). */
  upload(label: string, data: Float32Array | Uint32Array | Int32Array, extraUsage = 0): GPUBuffer {
    const buffer = this.createBuffer(
      label,
      data.byteLength,
      BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST | extraUsage,
    );
    this.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return buffer;
  }

  /** A uniform buffer holding `bytes` (from `Kernel.params`), tracked like any other. */
  createUniform(label: string, bytes: ArrayBuffer): GPUBuffer {
    const buffer = this.createBuffer(label, bytes.byteLength, BufferUsage.UNIFORM | BufferUsage.COPY_DST);
    this.device.queue.writeBuffer(buffer, 0, bytes);
    return buffer;
  }

  /** Whether `buffer` is one the library made on this context (a model's Θ, a fit's scratch): never a target of its outputs. */
  owns(buffer: GPUBuffer): boolean {
    return this.owned.has(buffer);
  }

  /** Destroys a buffer this context created. */
  release(buffer: GPUBuffer): void {
    if (this.owned.delete(buffer)) buffer.destroy();
  }

  /** Live buffers created by this context and their bytes: the leak check's measure. */
  stats(): { buffers: number; bytes: number } {
    let bytes = 0;
    for (const b of this.owned.values()) bytes += b;
    return { buffers: this.owned.size, bytes };
  }

  /** A 16-byte storage buffer bound where a kernel's optional input is switched off. */
  unusedBinding(kind: 'read' | 'writable' = 'read'): GPUBuffer {
    // 16 bytes: the smallest binding any kernel declares (an array of vec4f). A writable slot
    // gets its own: a buffer bound writable may share a dispatch with no other binding of it.
    if (kind === 'writable') return (this.writablePlaceholder ??= this.createBuffer('unused writable binding', 16, BufferUsage.STORAGE));
    this.placeholder ??= this.createBuffer('unused binding', 16, BufferUsage.STORAGE);
    return this.placeholder;
  }

  /**
   * Reads `count` f32 values starting at element `offset` of `buffer` (which needs COPY_SRC).
   * This waits for the GPU: call it at the end of work, not inside a training loop.
   */
  async read(buffer: GPUBuffer, offset = 0, count = buffer.size / 4 - offset): Promise<Float32Array> {
    if (!Number.isInteger(offset) || offset < 0) throw new ArgumentError('offset', `must be a non-negative integer, got ${offset}`);
    if (!Number.isInteger(count) || count < 0) throw new ArgumentError('count', `must be a non-negative integer, got ${count}`);
    if ((offset + count) * 4 > buffer.size) {
      throw new ArgumentError('count', `elements ${offset}..${offset + count} lie past the end of "${buffer.label}" (${buffer.size / 4} elements)`);
    }
    if (count === 0) return new Float32Array(0);
    const staging = this.device.createBuffer({
      label: `read ${buffer.label}`,
      size: count * 4,
      usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
    });
    try {
      await this.submit(`read ${buffer.label}`, (encoder) => {
        encoder.copyBufferToBuffer(buffer, offset * 4, staging, 0, count * 4);
      });
      await staging.mapAsync(MapMode.READ);
      return new Float32Array(staging.getMappedRange().slice(0));
    } finally {
      staging.destroy();
    }
  }

  /**
   * Encodes work with `encode`, submits it, and turns any validation, out-of-memory or
   * internal error it raised into a GpuError carrying `label`. Resolves once the device has
   * checked the work, not when the GPU has finished it.
   */
  async submit(label: string, encode: (encoder: GPUCommandEncoder) => void): Promise<void> {
    await captureErrors(this.device, label, () => {
      const encoder = this.device.createCommandEncoder({ label });
      encode(encoder);
      this.device.queue.submit([encoder.finish({ label })]);
    });
  }

  /**
   * Frees every buffer this context created, and the device if the context requested it; a
   * device given by the app (createContext({ device })) is left as it is.
   */
  destroy(): void {
    this.destroyed = true;
    for (const buffer of this.owned.keys()) buffer.destroy();
    this.owned.clear();
    this.kernels.clear();
    this.placeholder = undefined;
    this.writablePlaceholder = undefined;
    if (this.ownsDevice) this.device.destroy();
  }
}

const SCOPES = ['validation', 'out-of-memory', 'internal'] as const;

/**
 * Runs `fn` inside validation, out-of-memory and internal error scopes and throws the first
 * error the device reports as a GpuError naming `label` (the GPU's own message names the
 * labelled object that failed). Scopes are per device: a synchronous `fn` (what `submit`
 * passes) pushes, runs and pops without yielding, so concurrent work cannot interleave its
 * scopes; with an asynchronous `fn`, do not run two of these at once on one device.
 */
export async function captureErrors<T>(device: GPUDevice, label: string, fn: () => T | Promise<T>): Promise<T> {
  for (const scope of [...SCOPES].reverse()) device.pushErrorScope(scope);
  let result: T | undefined;
  let thrown: unknown;
  let failed = false;
  try {
    const value = fn();
    result = value instanceof Promise ? await value : value;
  } catch (e) {
    thrown = e;
    failed = true;
  }
  const pops = SCOPES.map(() => device.popErrorScope());
  const errors = await Promise.all(pops);
  if (failed) throw thrown;
  for (let i = 0; i < SCOPES.length; i++) {
    const error = errors[i];
    if (error) throw new GpuError(label, SCOPES[i]!, error.message);
  }
  return result as T;
}
