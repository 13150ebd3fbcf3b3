// Sharing the cores: matmul 1024² quiet, then with one busy process per core beside it — ours
// and @tensorflow/tfjs-backend-webgpu on the same adapter, each as a fraction of its own quiet
// rate. On a software adapter the GPU is the CPU, so a kernel that leans on barriers (every
// invocation's context switched at each) falls further than the cores' share.
//
//   npm run bench -- --only contention [--quick]

import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import type { GpuContext } from '../src/gpu/context.js';
import { encodePass } from '../src/gpu/kernel.js';
import { createMatmul } from '../src/kernels/matmul.js';
import { Random } from '../src/random.js';
import { median } from './timing.js';

const N = 1024;

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
  const rng = new Random(1);
  const ad = Float32Array.from(rng.floats(N * N));
  const bd = Float32Array.from(rng.floats(N * N));
  const [a, b, c] = [ctx.upload('bench a', ad), ctx.upload('bench b', bd), ctx.upload('bench c', new Float32Array(N * N))];
  const op = await createMatmul(ctx, { buffer: c, rows: N, cols: N }, { buffer: a, rows: N, cols: N }, { buffer: b, rows: N, cols: N });
  await tf.setBackend('webgpu');
  const [ta, tb] = [tf.tensor2d(ad, [N, N]), tf.tensor2d(bd, [N, N])];
  const runs = o.quick ? 3 : 5;
  const flop = 2 * N ** 3;
  const ours = async () => flop / (await median(runs, async () => {
    await ctx.submit('bench matmul', (e) => encodePass(e, 'matmul', [...op.dispatches]));
    await ctx.device.queue.onSubmittedWorkDone();
  })) / 1e9;
  const theirs = async () => flop / (await median(runs, async () => {
    const r = tf.matMul(ta, tb);
    await r.data();
    r.dispose();
  })) / 1e9;
  try {
    await ours();
    await theirs();
    const quiet = [await ours(), await theirs()] as const;
    const loaded = await underLoad(async () => [await ours(), await theirs()] as const);
    const cores = availableParallelism();
    console.log(`quiet: ours ${quiet[0].toFixed(2)} tfjs-webgpu ${quiet[1].toFixed(2)} GFLOP/s; ${cores} busy processes: ours ${loaded[0].toFixed(2)} tfjs-webgpu ${loaded[1].toFixed(2)}`);
    return [{ name: `matmul 1024², ${cores} busy processes beside it`, unit: 'of quiet', ours: loaded[0] / quiet[0], tfjsWebgpu: loaded[1] / quiet[1] }];
  } finally {
    op.destroy();
    for (const buf of [a, b, c]) ctx.release(buf);
    ta.dispose();
    tb.dispose();
  }
}
