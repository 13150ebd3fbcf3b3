// The tilings a matrix multiply may run with (shaders/matmul.wgsl's workgroup shapes, the
// blocked and direct kernels of software adapters), the table that picks one per shape and
// adapter class, and the limits each must fit. A timing (./matmul.ts) may pick another of the
// candidates on a hardware adapter; every one is exact for every shape.

import { ArgumentError } from '../gpu/errors.js';

/** Workgroup shape: invocations along M and N (each computes REG_BLOCKS² blocks of 4×4 of C) and K-step. */
export interface Tiling {
  WG_M: number;
  WG_N: number;
  TILE_K: number;
  /** 4×4 blocks of C per invocation along M and along N: 1 (default) or 2, an 8×8 register tile. */
  REG_BLOCKS?: number;
  /** Stage the operands with vec4 loads where aligned (TILE_K a multiple of 4). */
  VEC4?: boolean;
  /**
   * matmul_blocked.wgsl instead: 16 × 16 blocks of C per invocation in registers, no workgroup
   * memory (software adapters; WG_M, WG_N and TILE_K then only name the block for tests).
   */
  BLOCKED?: boolean;
  /** matmul_direct.wgsl instead: one invocation per element of C (small products on software adapters). */
  DIRECT?: boolean;
}

/**
 * Multiply-adds (m·n·k) up to which a software adapter runs a product with the direct kernel:
 * measured on SwiftShader, 1×25×401 (a one-row prediction) 250 µs against the blocked kernel's
 * 400, 25×401×1 alike, 200×8×9 360 against 240, and 16×25×401 3.1 ms against 0.4.
 */
export const SMALL_PRODUCT = 12_288;

/**
 * Picks the tiling for C = op(A)·op(B) of M×N with inner dimension K. Every tiling is exact for
 * every shape; only speed differs, and what is fast differs by adapter class. The table, with the
 * measurement behind each entry (docs/benchmarks.md has the runs):
 *
 * | adapter  | shape                 | tiling  | why                                                       |
 * |----------|-----------------------|---------|-----------------------------------------------------------|
 * | software | m·n·k ≤ SMALL_PRODUCT | direct  | one invocation per element: its pipelines build in ms,    |
 * |          |                       |         | and a 16 × 16 block wastes most of a one-row product      |
 * | software | every other shape     | blocked | SwiftShader runs an invocation as one lane of a 4-wide    |
 * |          |                       |         | SIMD group on a CPU thread: a barrier switches contexts   |
 * |          |                       |         | and a branch per load costs more than the load, so one    |
 * |          |                       |         | 16 × 16 register block with branch-free loads wins on     |
 * |          |                       |         | every shape training makes: 5000×401·401×25 at 2.6–2.8    |
 * |          |                       |         | GFLOP/s (the tilings it replaced: 1.1), its gradient      |
 * |          |                       |         | 25×5000·5000×401 at 3.1 (0.8), batch-100 shapes 1.4–1.9   |
 * |          |                       |         | (0.5–0.7), 1024² 4.0–4.5 (64 × 64 tile: 1.4)              |
 * | hardware | N ≤ 16                | narrow  | 32 × 16 tile: less padding on thin outputs (H100)         |
 * | hardware | M, N ≥ 512            | large   | 64 × 64 tile, deepest K-step in 16 KiB of workgroup       |
 * |          |                       |         | memory: fewest loads per multiply-add (H100)              |
 * | hardware | otherwise             | medium  | 32 × 32 tile: enough workgroups to fill the GPU (H100)    |
 * | hardware | < 64 tiles, K ≥ 512   | + split | K cut into slices (matmul_split.ts): 13 tiles of the      |
 * |          |                       |         | gradient cannot fill a GPU; not yet measured on one       |
 */
export function chooseTiling(shape: { m: number; n: number; k: number; transA?: boolean; transB?: boolean }, software: boolean): Tiling {
  const { m, n } = shape;
  if (software) return m * n * shape.k <= SMALL_PRODUCT ? TILINGS.direct : TILINGS.blocked;
  if (n <= 16) return TILINGS.narrow;
  if (m >= 512 && n >= 512) return TILINGS.large;
  return TILINGS.medium;
}

/**
 * The tilings chooseTiling picks from, and the candidates a timing (./matmul.ts) may pick
 * instead on a hardware adapter: tall, wide and shallow are the tiled kernel's other workgroup
 * shapes, the reg* ones its 8×8 register tiles (REG_BLOCKS = 2), the vec4* ones stage with vec4
 * loads. Every unsplit tiled tiling
 * sums each element of C in the same order (k = 0 … K − 1), so they give the same bits whichever
 * runs; tests run every one of them.
 */
export const TILINGS = {
  large: { WG_M: 16, WG_N: 16, TILE_K: 32 },
  medium: { WG_M: 8, WG_N: 8, TILE_K: 32 },
  narrow: { WG_M: 8, WG_N: 4, TILE_K: 16 },
  tall: { WG_M: 16, WG_N: 8, TILE_K: 32 },
  wide: { WG_M: 8, WG_N: 16, TILE_K: 32 },
  shallow: { WG_M: 16, WG_N: 16, TILE_K: 16 },
  // 8×8 register tiles: four times the multiply-adds per value read from workgroup memory.
  regLarge: { WG_M: 16, WG_N: 16, TILE_K: 16, REG_BLOCKS: 2 }, // 128 × 128 tile, 16 KiB staged
  regMedium: { WG_M: 8, WG_N: 8, TILE_K: 16, REG_BLOCKS: 2 }, // 64 × 64 tile, 64 invocations
  regWide: { WG_M: 8, WG_N: 16, TILE_K: 16, REG_BLOCKS: 2 }, // 64 × 128 tile
  // Staged with vec4 global loads: a quarter of the load instructions.
  vec4Medium: { WG_M: 8, WG_N: 8, TILE_K: 32, VEC4: true },
  vec4Large: { WG_M: 16, WG_N: 16, TILE_K: 32, VEC4: true },
  vec4RegLarge: { WG_M: 16, WG_N: 16, TILE_K: 16, REG_BLOCKS: 2, VEC4: true },
  blocked: { WG_M: 4, WG_N: 4, TILE_K: 4, BLOCKED: true },
  direct: { WG_M: 1, WG_N: 1, TILE_K: 1, DIRECT: true },
} as const satisfies Record<string, Tiling>;


/** Rows and columns of C one workgroup of a tiled tiling computes. */
export function tileExtent(t: Tiling): { rows: number; cols: number } {
  const blocks = t.REG_BLOCKS ?? 1;
  return { rows: 4 * blocks * t.WG_M, cols: 4 * blocks * t.WG_N };
}

/** Bytes of workgroup memory a tiled tiling stages per K-step: a tile of op(A) and one of op(B). */
function stagedBytes(t: Tiling): number {
  const { rows, cols } = tileExtent(t);
  return 4 * t.TILE_K * (rows + cols);
}

/** Whether this device can run tiling `t` (invocations and workgroup memory). */
export function fitsDevice(t: Tiling, limits: GPUSupportedLimits): boolean {
  return t.WG_M * t.WG_N <= limits.maxComputeInvocationsPerWorkgroup && stagedBytes(t) <= limits.maxComputeWorkgroupStorageSize;
}

/** `t`, checked against the device's limits (ArgumentError naming options.tiling). */
export function checkTiling(t: Tiling, limits: GPUSupportedLimits): Tiling {
  if (t.WG_M * t.WG_N > limits.maxComputeInvocationsPerWorkgroup) {
    throw new ArgumentError('options.tiling', `${t.WG_M}×${t.WG_N} invocations exceed this device's maxComputeInvocationsPerWorkgroup (${limits.maxComputeInvocationsPerWorkgroup})`);
  }
  if (t.VEC4 && t.TILE_K % 4 !== 0) throw new ArgumentError('options.tiling', `VEC4 needs TILE_K a multiple of 4, got ${t.TILE_K}`);
  const bytes = stagedBytes(t);
  if (bytes > limits.maxComputeWorkgroupStorageSize) {
    throw new ArgumentError('options.tiling', `needs ${bytes} bytes of workgroup memory, over this device's ${limits.maxComputeWorkgroupStorageSize}`);
  }
  return t;
}
