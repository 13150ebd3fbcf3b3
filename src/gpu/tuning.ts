// Choices timed once per context (src/tune/): which candidate tiling ran fastest for a class of
// matrix shapes on this context's adapter. Kept beside the context, never in it, and read by
// the kernels that have candidates; a context nobody tuned has none, and the kernels' own
// tables decide.

import type { GpuContext } from './context.js';

const tables = new WeakMap<GpuContext, Map<string, unknown>>();

/** The choice timed for `key` on `ctx`, if any. */
export function tuned<T>(ctx: GpuContext, key: string): T | undefined {
  return tables.get(ctx)?.get(key) as T | undefined;
}

/** Keeps `choice` for `key` on `ctx` (for as long as the context lives). */
export function keepTuned(ctx: GpuContext, key: string, choice: unknown): void {
  let table = tables.get(ctx);
  if (!table) tables.set(ctx, (table = new Map()));
  table.set(key, choice);
}
