// Where a context's device comes from: the adapter summary, the options createContext()
// takes, and the request for an adapter and device of the library's own — from options.gpu,
// navigator.gpu, or in Node the `webgpu` package (reached through #node-webgpu in the package).

import { kinds, optionTable } from '../options.js';
import { ArgumentError, BROWSER_INSTALL_HINT, NODE_INSTALL_HINT, NoAdapterError } from './errors.js';

/** What the context knows about the adapter behind its device. */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for a software adapter such as SwiftShader: correct, but slow. */
  isFallbackAdapter: boolean;
  /** Where the device came from: the browser, Dawn in Node, or the embedding app. */
  source: 'navigator.gpu' | 'node-webgpu' | 'gpu-option' | 'caller-device';
}

export interface ContextOptions {
  /**
   * The embedding app's own device. The context uses it as it is and never destroys,
   * reconfigures or replaces it; `destroy()` frees only what the context created.
   */
  device?: GPUDevice;
  /** A `GPU` to request an adapter from, when not `navigator.gpu` (e.g. `create()` of the `webgpu` package). */
  gpu?: GPU;
  /** Adapter preference when the context requests its own; default 'high-performance'. */
  powerPreference?: GPUPowerPreference;
  /**
   * Limits to request on top of the ones the library raises by itself
   * (maxStorageBufferBindingSize and maxBufferSize, to what the adapter offers).
   */
  requiredLimits?: Record<string, number>;
  /**
   * Lower limits for the library to work within, below the device's: how a small device is
   * tested on a large one (WebGPU raises requested limits to its defaults, so a device cannot be
   * asked for less). The library splits data, batches and dispatches by `ctx.limits`.
   */
  limits?: Partial<Record<'maxStorageBufferBindingSize' | 'maxBufferSize' | 'maxComputeWorkgroupsPerDimension', number>>;
  /**
   * Whether a model made on this context starts building its forward pass's pipelines when it
   * is constructed (default true). A browser builds them on other threads; Node's Dawn builds
   * them between the process's own work — a process that predicts a few rows and exits (the
   * command line's predict) sets false and builds only what it uses (model.warmUp()).
   */
  warmModels?: boolean;
}

export function isNode(): boolean {
  return typeof process !== 'undefined' && !!process.versions?.node;
}

export function summarize(info: GPUAdapterInfo | undefined, fallback: boolean, source: AdapterSummary['source']): AdapterSummary {
  return {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    device: info?.device ?? '',
    description: info?.description ?? '',
    isFallbackAdapter: fallback,
    source,
  };
}

const LIMIT = kinds.integer(16, Number.MAX_SAFE_INTEGER);

/** createContext's options and their kinds (the type makes the list complete). */
export const CONTEXT_OPTIONS = optionTable<ContextOptions>('createContext options', {
  device: kinds.instance('a GPUDevice', (d) => typeof (d as GPUDevice).createBuffer === 'function' && typeof (d as GPUDevice).queue === 'object'),
  gpu: kinds.instance('a GPU (navigator.gpu, or create() of the webgpu package)', (g) => typeof (g as GPU).requestAdapter === 'function'),
  powerPreference: kinds.choice(['low-power', 'high-performance']),
  requiredLimits: kinds.record(kinds.number('a number ≥ 0', (v) => v >= 0 && Number.isFinite(v)), 'an object of WebGPU limits { name: value }'),
  limits: kinds.object({ maxStorageBufferBindingSize: LIMIT, maxBufferSize: LIMIT, maxComputeWorkgroupsPerDimension: LIMIT }),
  warmModels: kinds.boolean,
});

/** An adapter and a device of the library's own, as createContext() requests them. */
export async function requestOwnDevice(options: ContextOptions): Promise<{ device: GPUDevice; adapter: AdapterSummary }> {
  let gpu = options.gpu;
  let source: AdapterSummary['source'] = 'gpu-option';
  const hint = isNode() ? NODE_INSTALL_HINT : BROWSER_INSTALL_HINT;
  if (!gpu && typeof navigator !== 'undefined' && navigator.gpu) {
    gpu = navigator.gpu;
    source = 'navigator.gpu';
  }
  if (!gpu && isNode()) {
    const node = await import('../node/webgpu.js');
    gpu = await node.nodeGpu();
    source = 'node-webgpu';
  }
  if (!gpu) throw new NoAdapterError(`WebGPU is not available here (no navigator.gpu). ${hint}`);

  const adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference ?? 'high-performance' });
  if (!adapter) throw new NoAdapterError(`No WebGPU adapter was found. ${hint}`);

  const requiredLimits: Record<string, number> = {
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxBufferSize: adapter.limits.maxBufferSize,
  };
  for (const [name, value] of Object.entries(options.requiredLimits ?? {})) {
    if (typeof (adapter.limits as unknown as Record<string, unknown>)[name] !== 'number') throw new ArgumentError(`options.requiredLimits.${name}`, 'is not a WebGPU limit');
    requiredLimits[name] = value;
  }
  const device = await adapter.requestDevice({ label: 'wgsl-learn device', requiredLimits });
  // Chrome reports the fallback flag on the adapter info, older builds on the adapter.
  const info = adapter.info;
  const fallback = !!(
    (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter ??
    (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter
  );
  return { device, adapter: summarize(info, fallback, source) };
}
