// Matrix-multiply benchmark: wgsl-learn's matmul kernel against @tensorflow/tfjs-backend-webgpu
// on the same adapter in the same run, and against @tensorflow/tfjs's CPU backend.
//
//   npm run bench -- --only matmul [--quick] [--skip-cpu] [--json results.json]
//
// Throughput in GFLOP/s (2·M·N·K per multiply; higher is better), median of several timed
// batches after a warm-up, each batch ended by waiting for the GPU (or for the tensor's data).
// On hardware adapters each shape is also timed after tuneMatmul picked its tiling (on a second
// context of the same device, so the other suites keep the default table): the `tuned` column
// and the candidate chosen — how a lent GPU measures the candidates (src/tune/tilings.ts).

import * as tf from '@tensorflow/tfjs';
import type { GpuContext } from '../src/gpu/context.js';
import { encodePass } from '../src/gpu/kernel.js';
import { createMatmul } from '../src/kernels/matmul.js';
import { createContext } from '../src/gpu/context.js';
import { tuneMatmul } from '../src/tune/matmul.js';
import { Random } from '../src/random.js';

export interface Shape {
  name: string;
  m: number;
  n: number;
  k: number;
  transA?: boolean;
  transB?: boolean;
  /** Only on hardware adapters (on a CPU one multiply would take half a minute). */
  hardwareOnly?: boolean;
}

const SHAPES: Shape[] = [
  { name: 'square 256', m: 256, n: 256, k: 256 },
  { name: 'square 1024', m: 1024, n: 1024, k: 1024 },
  { name: 'square 2048', m: 2048, n: 2048, k: 2048 },
  { name: 'square 4096', m: 4096, n: 4096, k: 4096, hardwareOnly: true },
  { name: 'forward 5000×400 · 400×25', m: 5000, n: 25, k: 400 },
  { name: 'forward 5000×25 · 25×10', m: 5000, n: 10, k: 25 },
  // As training runs them: x̃ (bias column included) times Θᵀ, and the gradient Δ = δᵀx̃.
  { name: 'layer 5000×401 · (25×401)ᵀ', m: 5000, n: 25, k: 401, transB: true },
  { name: 'gradient (5000×25)ᵀ · 5000×401', m: 25, n: 401, k: 5000, transA: true },
];

export interface BenchCase {
  name: string;
  unit: 'GFLOP/s';
  ours: number;
  tfjsWebgpu: number;
  /** null when run with --skip-cpu. */
  tfjsCpu: number | null;
  /** = ours: the arithmetic rate, for the fraction of the adapter's peak. */
  gflops: number;
  /** Ours after tuneMatmul chose the tiling (hardware adapters; null on software ones), and its choice. */
  tuned: number | null;
  tunedChoice?: string;
}

/** Median seconds per call of `runBatch(reps)`, reps chosen so a batch lasts about `target` s. */
async function timeIt(runBatch: (reps: number) => Promise<void>, target: number, batches: number): Promise<number> {
  await runBatch(1); // warm-up: pipeline compilation, first-touch allocation
  let t0 = performance.now();
  await runBatch(1);
  const once = (performance.now() - t0) / 1000;
  const reps = Math.max(1, Math.min(50, Math.round(target / once)));
  const samples: number[] = [];
  for (let b = 0; b < batches; b++) {
    t0 = performance.now();
    await runBatch(reps);
    samples.push((performance.now() - t0) / 1000 / reps);
  }
  samples.sort((x, y) => x - y);
  return samples[Math.floor(samples.length / 2)]!;
}

/** Median seconds per multiply of shape `s` with our kernel, batches of about `target` s each. */
export async function benchOurs(ctx: GpuContext, s: Shape, target: number, batches: number): Promise<number> {
  const rng = new Random(1);
  const a = ctx.upload('bench a', Float32Array.from(rng.floats(s.m * s.k)));
  const b = ctx.upload('bench b', Float32Array.from(rng.floats(s.k * s.n)));
  const c = ctx.upload('bench c', new Float32Array(s.m * s.n));
  const op = await createMatmul(
    ctx,
    { buffer: c, rows: s.m, cols: s.n },
    s.transA ? { buffer: a, rows: s.k, cols: s.m } : { buffer: a, rows: s.m, cols: s.k },
    s.transB ? { buffer: b, rows: s.n, cols: s.k } : { buffer: b, rows: s.k, cols: s.n },
    { transA: !!s.transA, transB: !!s.transB },
  );
  try {
    return await timeIt(
      async (reps) => {
        await ctx.submit('bench matmul', (encoder) => encodePass(encoder, 'matmul', Array(reps).fill(op.dispatches).flat()));
        await ctx.device.queue.onSubmittedWorkDone();
      },
      target,
      batches,
    );
  } finally {
    op.destroy();
    for (const buf of [a, b, c]) ctx.release(buf);
  }
}

/** The same with tf.matMul on tfjs's current backend. */
export async function benchTfjs(s: Shape, target: number, batches: number): Promise<number> {
  const rng = new Random(1);
  const a = tf.tensor2d(Float32Array.from(rng.floats(s.m * s.k)), s.transA ? [s.k, s.m] : [s.m, s.k]);
  const b = tf.tensor2d(Float32Array.from(rng.floats(s.k * s.n)), s.transB ? [s.n, s.k] : [s.k, s.n]);
  try {
    return await timeIt(
      async (reps) => {
        let c: tf.Tensor | undefined;
        for (let r = 0; r < reps; r++) {
          c?.dispose();
          c = tf.matMul(a, b, !!s.transA, !!s.transB);
        }
        await c!.data();
        c!.dispose();
      },
      target,
      batches,
    );
  } finally {
    a.dispose();
    b.dispose();
  }
}

/** One shape's row: ours, tfjs-webgpu, tfjs-cpu, and ours tuned on `tuning` (hardware adapters). */
async function benchShape(ctx: GpuContext, tuning: GpuContext | undefined, s: Shape, o: { quick: boolean; skipCpu: boolean }): Promise<BenchCase> {
  const target = o.quick ? 0.3 : 1.5;
  const batches = o.quick ? 3 : 5;
  const flop = 2 * s.m * s.n * s.k;
  const ours = flop / (await benchOurs(ctx, s, target, batches)) / 1e9;
  await tf.setBackend('webgpu');
  const tfjsWebgpu = flop / (await benchTfjs(s, target, batches)) / 1e9;
  let tfjsCpu: number | null = null;
  if (!o.skipCpu && !s.hardwareOnly) {
    await tf.setBackend('cpu');
    tfjsCpu = flop / (await benchTfjs(s, o.quick ? 0.3 : 1, o.quick ? 1 : 3)) / 1e9;
  }
  let tuned: number | null = null;
  let tunedChoice: string | undefined;
  if (tuning) {
    tunedChoice = (await tuneMatmul(tuning, [s]))[0]!.chosen;
    tuned = flop / (await benchOurs(tuning, s, target, batches)) / 1e9;
  }
  console.log(
    `${s.name.padEnd(28)} ours ${ours.toFixed(3).padStart(8)}  tfjs-webgpu ${tfjsWebgpu.toFixed(3).padStart(8)}` +
      `  tfjs-cpu ${tfjsCpu === null ? '—' : tfjsCpu.toFixed(3)}  ×webgpu ${(ours / tfjsWebgpu).toFixed(2)}` +
      (tuned === null ? '' : `  tuned ${tuned.toFixed(3)} (${tunedChoice}) ×webgpu ${(tuned / tfjsWebgpu).toFixed(2)}`),
  );
  return { name: s.name, unit: 'GFLOP/s', ours, tfjsWebgpu, tfjsCpu, gflops: ours, tuned, tunedChoice };
}

export async function runMatmulBench(ctx: GpuContext, o: { quick: boolean; skipCpu: boolean }): Promise<BenchCase[]> {
  const cases: BenchCase[] = [];
  const tuning = ctx.adapter.isFallbackAdapter ? undefined : await createContext({ device: ctx.device });
  try {
    for (const s of SHAPES) if (!(s.hardwareOnly && ctx.adapter.isFallbackAdapter)) cases.push(await benchShape(ctx, tuning, s, o));
  } finally {
    tuning?.destroy();
  }
  await tf.setBackend('webgpu');
  return cases;
}
