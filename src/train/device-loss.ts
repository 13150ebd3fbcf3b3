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

/**
 * Whether `error` came from a lost device. The device's lost promise can settle well after the
 * error the loss caused on a busy machine (Dawn in Node delivers it from an event poll), so it is
 * waited for — up to 10 s after a failed map (OperationError, AbortError: the usual first sign of
 * a loss), 2 s after anything else. Only ever called on an error path.
 */
export async function lostAfter(ctx: GpuContext, error: unknown): Promise<boolean> {
  if (ctx.lost) return true;
  const mapFailed = ['OperationError', 'AbortError'].includes((error as Error)?.name);
  return lostWithin(ctx.device, mapFailed ? 10_000 : 2000);
}

/** The error a fit rejects with when the device was lost: the epochs reported, and how many were submitted. */
export function lostError(ctx: GpuContext, reports: EpochReport[], epochsSubmitted: number): DeviceLostError {
  const reason = ctx.lost?.reason ?? 'unknown';
  return new DeviceLostError(`the GPU device was lost during training (${reason}${ctx.lost?.message ? `: ${ctx.lost.message}` : ''})`, reason, undefined, reports, epochsSubmitted);
}
