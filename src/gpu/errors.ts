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

/** What a training run kept on the CPU to continue from: Θ after `epoch` epochs of the fit. */
export interface Checkpoint {
  /** Epochs of the fit completed when Θ was copied. */
  epoch: number;
  /** Their reports (cost, accuracy, validation), epochs 0 … epoch − 1 of the fit. */
  history: { epoch: number; cost: number; accuracy: number | null; validation?: { cost: number; accuracy: number | null } }[];
  /** Θ, flat (getTheta()'s layout), in the space the model computes in. */
  theta: Float32Array;
  /** μ and σ of each feature, for a model that normalises. */
  normalization: { mean: Float64Array; std: Float64Array } | null;
}

/**
 * The GPU device was lost (a driver reset, the GPU removed, the device destroyed). A context
 * that requested its own device recovers by itself during fit(); on the app's device, or where
 * recovery is impossible, this error carries the last checkpoint so nothing learnt is lost:
 * `model.restoreCheckpoint(error.checkpoint)` on a model of a new context, then fit the remaining epochs.
 */
export class DeviceLostError extends Error {
  override name = 'DeviceLostError';
  constructor(
    message: string,
    readonly reason: string,
    /** The last checkpoint of the run, if one was taken. */
    readonly checkpoint: Checkpoint | undefined,
    /** Epochs reported before the loss. */
    readonly history: { epoch: number; cost: number; accuracy: number | null }[] = [],
    /** Epochs of work submitted before the loss (what going back to the checkpoint repeats at most). */
    readonly epochs = history.length,
  ) {
    super(message);
  }
}
