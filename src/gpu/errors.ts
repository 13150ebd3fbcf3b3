// The error classes the library throws, so callers can tell bad input from a missing GPU from a
// kernel the GPU rejected, and each message names what was wrong.

/** An argument had the wrong type, shape or value. Nothing was written to the GPU. */
export class ArgumentError extends Error {
  override name = 'ArgumentError';
  constructor(
    /** The argument's name as the caller wrote it, e.g. `a.rows` or `options.alpha`. */
    readonly argument: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
  }
}

/** No WebGPU adapter could be found; the message says what to install. */
export class NoAdapterError extends Error {
  override name = 'NoAdapterError';
}

/** A kernel's WGSL failed to compile or its pipeline could not be created. */
export class KernelCompileError extends Error {
  override name = 'KernelCompileError';
  constructor(
    readonly kernel: string,
    message: string,
  ) {
    super(`kernel "${kernel}" failed to build: ${message}`);
  }
}

/** The GPU reported a validation, out-of-memory or internal error for a labelled piece of work. */
export class GpuError extends Error {
  override name = 'GpuError';
  constructor(
    /** Label of the work that failed: the kernel's name for a dispatch. */
    readonly label: string,
    readonly kind: 'validation' | 'out-of-memory' | 'internal',
    message: string,
  ) {
    super(`${label}: ${kind} error: ${message}`);
  }
}

export const BROWSER_INSTALL_HINT =
  'Use Chrome or Edge 113 or newer with WebGPU enabled; on Linux start it with --enable-unsafe-webgpu ' +
  '(the SwiftShader software adapter is then used when there is no GPU).';

export const NODE_INSTALL_HINT =
  'In Node, wgsl-learn runs WebGPU through the `webgpu` npm package (Dawn) over Vulkan. Install the ' +
  'Vulkan loader and a driver: on Debian/Ubuntu `apt-get install libvulkan1 chromium` (Chromium ships ' +
  'SwiftShader, a CPU Vulkan driver that wgsl-learn picks up when no GPU driver is present), or your ' +
  "GPU vendor's Vulkan driver. Set VK_ICD_FILENAMES to choose a driver yourself.";

/**
 * Training stopped because the cost grew or stopped being finite ("overshooting": α too
 * large). The model keeps the parameters of its best epoch; `history` holds every epoch up to
 * and including the one that stopped.
 */
export class DivergenceError extends Error {
  override name = 'DivergenceError';
  constructor(
    message: string,
    /** Epoch (within the fit, from 0) whose cost stopped training. */
    readonly epoch: number,
    /** Epoch whose parameters the model now holds, or −1 if none was good (the initial θ is kept). */
    readonly restoredEpoch: number,
    readonly history: { epoch: number; cost: number; accuracy: number | null }[],
  ) {
    super(message);
  }
}
