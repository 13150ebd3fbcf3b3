// Sharing the cores: matmul 1024² quiet, then with one busy process per core beside it — ours
// and @tensorflow/tfjs-backend-webgpu on the same adapter, each as a fraction of its own quiet
// rate (timed as the matmul suite times them). On a software adapter the GPU is the CPU, so a
// kernel that leans on barriers (every invocation's context switched at each) falls further
// than the cores' share.
//
//   npm run bench -- --only contention [--quick]

import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import type { GpuContext } from '../src/gpu/context.js';
import { type Shape, benchOurs, benchTfjs } from './matmul.js';

const SQUARE: Shape = { name: 'square 1024', m: 1024, n: 1024, k: 1024 };

export interface ContentionCase {
  name: string;
  unit: 'of quiet';
  /** Loaded GFLOP/s ÷ quiet GFLOP/s. */
  ours: number;
  tfjsWebgpu: number;
}

/** Runs `f` with one busy process per core beside it. */
async function underLoad<T>(f: () => Promise<T>): Promise<T> {
  const hogs = Array.from({ length: availableParallelism() }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  try {
    await new Promise((r) => setTimeout(r, 300));
    return await f();
  } finally {
    for (const h of hogs) h.kill('SIGKILL');
  }
}

export async function runContentionBench(ctx: GpuContext, o: { quick: boolean }): Promise<ContentionCase[]> {
  const [target, batches] = o.quick ? [0.3, 3] : [1, 5];
  await tf.setBackend('webgpu');
  // GFLOP/s of ours and of tfjs-webgpu.
  const both = async () => [await benchOurs(ctx, SQUARE, target, batches), await benchTfjs(SQUARE, target, batches)].map((sec) => (2 * 1024 ** 3) / sec / 1e9) as [number, number];
  const quiet = await both();
  const loaded = await underLoad(both);
  const cores = availableParallelism();
  console.log(`quiet: ours ${quiet[0].toFixed(2)} tfjs-webgpu ${quiet[1].toFixed(2)} GFLOP/s; ${cores} busy processes: ours ${loaded[0].toFixed(2)} tfjs-webgpu ${loaded[1].toFixed(2)}`);
  return [{ name: `matmul 1024², ${cores} busy processes beside it`, unit: 'of quiet', ours: loaded[0] / quiet[0], tfjsWebgpu: loaded[1] / quiet[1] }];
}
