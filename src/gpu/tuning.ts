// Choices timed once per context (src/tune/): which candidate tiling ran fastest for a class of
// matrix shapes on this context's adapter. Kept beside the context, never in it, and read by
// the kernels that have candidates; a context nobody tuned has none, and the kernels' own
// tables decide.

import type { GpuContext } from './context.js';

const tables = new WeakMap<GpuContext, Map<string, unknown>>();

/**
 * The class of a product's shape that one timing speaks for: each dimension to its power of
 * two (up to 2¹⁶), and the transposes.
 */
export function shapeClass(shape: { m: number; n: number; k: number; transA?: boolean; transB?: boolean }): string {
  const bucket = (v: number) => Math.min(16, Math.ceil(Math.log2(Math.max(1, v))));
  return `matmul ${bucket(shape.m)}.${bucket(shape.n)}.${bucket(shape.k)}${shape.transA ? 'ᵀ' : ''}${shape.transB ? 'ᵀ' : ''}`;
}

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
