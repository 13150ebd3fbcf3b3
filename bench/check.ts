// A correctness pass through the public API on the adapter the benchmark runs on — what a lent
// GPU machine checks before its figures count (bench/gpu.sh runs it first): matmul against
// float64 on edge shapes with every tiling the adapter can run (the one chooseTiling picks,
// each candidate a timing may pick, split-K), a gradient check, a digits-shaped fit that must
// learn, and reruns that must be bit-identical. Each check is a row (1 passed, 0 failed); any
// failure fails the run.
//
//   npm run bench -- --only check

import { type GpuContext } from '../src/gpu/context.js';
import { BufferUsage } from '../src/gpu/flags.js';
import { matmul } from '../src/kernels/matmul.js';
import { TILINGS, type Tiling } from '../src/tune/tilings.js';
import { NeuralNetwork } from '../src/models/network.js';
import { hostMatrix, matmulReference } from '../src/reference/matmul.js';
import { Random } from '../src/random.js';
import { TUNING_CANDIDATES } from '../src/tune/matmul.js';

export interface CheckRow {
  name: string;
  unit: 'passed';
  ours: number;
  baseline: number;
  baselineName: string;
}

const EDGE_SHAPES = [
  [1, 1, 1], [17, 9, 33], [65, 129, 1], [3, 130, 70], [257, 31, 515], [1, 25, 401], [25, 401, 1000],
] as const;

/** Largest |GPU − float64| over max(1, |float64|): f32 products of length K stay near K·2⁻²⁴. */
async function matmulError(ctx: GpuContext, [m, n, k]: readonly [number, number, number], transA: boolean, transB: boolean, tiling: Tiling | undefined, splitK?: number): Promise<number> {
  const rng = new Random(m * 7 + n * 3 + k);
  const a = hostMatrix(transA ? k : m, transA ? m : k, rng.floats(m * k));
  const b = hostMatrix(transB ? n : k, transB ? k : n, rng.floats(k * n));
  const upload = (label: string, data: Float64Array) => ctx.upload(label, Float32Array.from(data));
  const A = upload('check a', a.data);
  const B = upload('check b', b.data);
  const C = ctx.createBuffer('check c', m * n * 4, BufferUsage.STORAGE | BufferUsage.COPY_SRC);
  try {
    await matmul(ctx, { buffer: C, rows: m, cols: n }, { buffer: A, rows: a.rows, cols: a.cols }, { buffer: B, rows: b.rows, cols: b.cols }, { transA, transB, tiling, splitK, activation: 'sigmoid' });
    const got = await ctx.read(C);
    const want = matmulReference(a, b, { transA, transB, activation: 'sigmoid' });
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want.data[i]!) / Math.max(1, Math.abs(want.data[i]!)));
    return worst;
  } finally {
    for (const buffer of [A, B, C]) ctx.release(buffer);
  }
}

/** Data a 400-25-10 network can learn: 400 pixels in [0, 1], the label the block of 40 with the brightest sum. */
function learnable(m: number) {
  const rng = new Random(11);
  const data = Float32Array.from(rng.floats(m * 400, 0, 1));
  const y = Uint8Array.from({ length: m }, (_, i) => {
    const sums = Array.from({ length: 10 }, (_, c) => data.subarray(i * 400 + 40 * c, i * 400 + 40 * c + 40).reduce((s, v) => s + v, 0));
    return sums.reduce((best, s, c) => (s > sums[best]! ? c : best), 0);
  });
  return { x: { rows: m, cols: 400, data }, y };
}

export async function runCheck(ctx: GpuContext): Promise<CheckRow[]> {
  const rows: CheckRow[] = [];
  const record = (name: string, ok: boolean, detail: string) => {
    rows.push({ name, unit: 'passed', ours: ok ? 1 : 0, baseline: 1, baselineName: detail });
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail}`);
  };
  const tilings: [string, Tiling | undefined, number | undefined][] = [['chosen', undefined, undefined]];
  if (!ctx.adapter.isFallbackAdapter) {
    for (const name of TUNING_CANDIDATES) tilings.push([name, TILINGS[name], 1]);
    tilings.push(['medium, split-K 4', TILINGS.medium, 4]);
  }
  for (const [name, tiling, splitK] of tilings) {
    let worst = 0;
    for (const shape of EDGE_SHAPES) for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) worst = Math.max(worst, await matmulError(ctx, shape, ta, tb, tiling, splitK));
    record(`matmul against float64, ${EDGE_SHAPES.length} edge shapes × 4 transposes, ${name} tiling, sigmoid epilogue`, worst < 1e-4, `largest relative error ${worst.toExponential(2)} (limit 1e-4)`);
  }
  const small = learnable(200);
  const probe = new NeuralNetwork(ctx, { layers: [400, 25, 10], seed: 3 });
  try {
    await probe.fit(small.x, small.y, { epochs: 3 });
    const report = await probe.gradientCheck({ rows: 20, cols: 400, data: small.x.data.subarray(0, 8000) }, small.y.subarray(0, 20), { lambda: 1 });
    record('gradient check, 400-25-10, λ = 1', report.relativeDifference < 1e-2, `‖D − D_num‖ / ‖D + D_num‖ = ${report.relativeDifference.toExponential(2)} (limit 1e-2)`);
  } finally {
    probe.destroy();
  }
  const d = learnable(4000);
  const thetas: Float64Array[] = [];
  let accuracy = 0;
  for (let run = 0; run < 2; run++) {
    const net = new NeuralNetwork(ctx, { layers: [400, 25, 10], seed: 7, output: 'softmax' });
    try {
      await net.fit(d.x, d.y, { epochs: 30, batchSize: 100, learningRate: 0.01, seed: 7 });
      thetas.push(await net.getTheta());
      if (run === 0) accuracy = (await net.evaluate(d.x, d.y)).accuracy;
    } finally {
      net.destroy();
    }
  }
  record('a digits-shaped fit learns: 400-25-10 softmax, 4,000 examples, Adam, batch 100, 30 epochs', accuracy > 0.7, `training accuracy ${(100 * accuracy).toFixed(1)} % (at least 70 %, 78 % on SwiftShader; chance is 10 %)`);
  const same = thetas[0]!.every((v, i) => Object.is(v, thetas[1]![i]));
  record('the same fit twice: Θ bit-identical', same, same ? `${thetas[0]!.length} parameters equal` : 'Θ differs between reruns');
  const failed = rows.filter((r) => r.ours === 0).length;
  if (failed) throw new Error(`check: ${failed} of ${rows.length} checks failed on this adapter`);
  return rows;
}
