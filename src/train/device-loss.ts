// Telling a lost GPU device from other failures during a fit: a loss shows up as whatever failed
// first (a map, an error scope), and the device's lost promise may settle only after the error
// it caused. The fit's recovery from a checkpoint is src/models/fit.ts.

import type { GpuContext } from '../gpu/context.js';
import { DeviceLostError } from '../gpu/errors.js';
import type { EpochReport } from './options.js';

/** Whether `device` is lost within `ms` milliseconds. */
export async function lostWithin(device: GPUDevice, ms: number): Promise<boolean> {
  return Promise.race([device.lost.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
}

/** The error a fit rejects with when the device was lost: the epochs reported, and how many were submitted. */
export function lostError(ctx: GpuContext, reports: EpochReport[], epochsSubmitted: number): DeviceLostError {
  const reason = ctx.lost?.reason ?? 'unknown';
  return new DeviceLostError(`the GPU device was lost during training (${reason}${ctx.lost?.message ? `: ${ctx.lost.message}` : ''})`, reason, undefined, reports, epochsSubmitted);
}
