// The page's own GPU buffers: where the library writes predictions (predictInto) and training
// histories (historyBuffer) for the plots. They are the app's, made on the context's device —
// the library refuses its own buffers as targets of its outputs — and the page destroys them.

import type { GpuContext } from '../src/index.js';

/** A buffer of `size` bytes (rounded up to 4) on the context's device, labelled. */
export function pageBuffer(ctx: GpuContext, label: string, size: number, usage: number): GPUBuffer {
  return ctx.device.createBuffer({ label, size: Math.max(4, Math.ceil(size / 4) * 4), usage });
}
