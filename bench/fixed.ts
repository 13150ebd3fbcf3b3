// Fixed costs: what a fit, a prediction and a command cost besides their arithmetic, each row
// against a baseline measured in the same run (issue 23).
//
//   first fit     the first 1-epoch fit of 400-25-10 on 8,000 examples in a new context (its
//                 pipelines built then), against the same fit once they are built; and how many
//                 pipelines the first fit built
//   set-up        MB/s from host arrays to the first training step (a 1-epoch fit less one epoch's
//                 steady time) on m × 400 float32, against a plain JavaScript copy-and-scan of the
//                 same bytes (a new Float32Array, every value checked finite) in the same run
//   predict       one row's prediction in a warm context, against a 4-byte read-back (the round
//                 trip every answer from the GPU pays)
//   command line  dist/cli/wgsl-learn.js started cold: `train` of 1 epoch and `predict` of one
//                 row, against the same work in this warm process (needs `npm run build:cli`;
//                 without the build the rows say so)
//
//   npm run bench -- --only fixed [--quick]

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GpuContext, createContext } from '../src/gpu/context.js';
import { NeuralNetwork } from '../src/models/network.js';
import { Random } from '../src/random.js';
import { median } from './timing.js';

export interface FixedRow {
  name: string;
  unit: string;
  ours: number;
  baseline: number;
  baselineName: string;
}

const LAYERS = [400, 25, 10];
const now = () => performance.now();

function digitsLike(m: number, seed = 400) {
  const rng = new Random(seed);
  return { x: { rows: m, cols: 400, data: Float32Array.from(rng.floats(m * 400, 0, 1)) }, y: Uint8Array.from({ length: m }, () => rng.int(0, 9)) };
}

async function fitOnce(ctx: GpuContext, d: ReturnType<typeof digitsLike>, epochs: number): Promise<number> {
  const net = new NeuralNetwork(ctx, { layers: LAYERS, seed: 1 });
  try {
    const t = now();
    await net.fit(d.x, d.y, { epochs, batchSize: 'full', optimizer: 'sgd', checkpointEvery: 0, shuffle: false });
    await net.getTheta();
    return now() - t;
  } finally {
    net.destroy();
  }
}

/** The first fit in a new context (pipelines built) against the same fit warm, and the pipelines built. */
async function firstFit(): Promise<FixedRow[]> {
  const ctx = await createContext();
  try {
    let built = 0;
    const device = ctx.device as GPUDevice & { createComputePipelineAsync: GPUDevice['createComputePipelineAsync'] };
    const create = device.createComputePipelineAsync.bind(device);
    device.createComputePipelineAsync = (d) => (built++, create(d));
    const d = digitsLike(8000);
    const cold = await fitOnce(ctx, d, 1);
    const pipelines = built;
    const warm = (await median(3, async () => void (await fitOnce(ctx, d, 1)))) * 1000;
    console.log(`first fit ${cold.toFixed(0)} ms (${pipelines} pipelines built), warm ${warm.toFixed(0)} ms`);
    return [{ name: `first fit, 400-25-10, 8,000 examples, 1 epoch (${pipelines} pipelines built)`, unit: 'ms', ours: cold, baseline: warm, baselineName: 'the same fit warm' }];
  } finally {
    ctx.destroy();
  }
}

/** Set-up MB/s on m × 400 against a JavaScript copy-and-scan of the same bytes. */
async function setUp(ctx: GpuContext, m: number): Promise<FixedRow> {
  const d = digitsLike(m, 401);
  const bytes = m * 400 * 4;
  const copyAndScan = await median(3, async () => {
    const copy = new Float32Array(d.x.data.length);
    let bad = 0;
    for (let i = 0; i < copy.length; i++) {
      const v = d.x.data[i]!;
      if (!Number.isFinite(v)) bad++;
      copy[i] = v;
    }
    if (bad) throw new Error('unreachable');
  });
  await fitOnce(ctx, digitsLike(1000), 1); // pipelines built
  const one: number[] = [];
  const three: number[] = [];
  for (let r = 0; r < 3; r++) {
    one.push(await fitOnce(ctx, d, 1));
    three.push(await fitOnce(ctx, d, 3));
  }
  const mid = (v: number[]) => v.sort((a, b) => a - b)[1]!;
  const epoch = (mid(three) - mid(one)) / 2;
  const setup = Math.max(1e-3, mid(one) - epoch) / 1000;
  const ours = bytes / 2 ** 20 / setup;
  const base = bytes / 2 ** 20 / copyAndScan;
  console.log(`set-up ${m} × 400: ${(setup * 1000).toFixed(0)} ms (${ours.toFixed(0)} MB/s; an epoch ${epoch.toFixed(0)} ms); JS copy-and-scan ${(copyAndScan * 1000).toFixed(0)} ms (${base.toFixed(0)} MB/s)`);
  return { name: `set-up, ${m.toLocaleString('en')} × 400 float32 from host arrays`, unit: 'MB/s', ours, baseline: base, baselineName: 'JS copy-and-scan' };
}

/** One row's prediction against a 4-byte read-back. */
async function predictRow(ctx: GpuContext): Promise<FixedRow> {
  const net = new NeuralNetwork(ctx, { layers: LAYERS, seed: 1 });
  const probe = ctx.createBuffer('fixed probe', 4, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
  try {
    const d = digitsLike(1000);
    await net.fit(d.x, d.y, { epochs: 1 });
    const row = { rows: 1, cols: 400, data: d.x.data.subarray(0, 400) };
    const ours = (await median(15, async () => void (await net.predict(row)))) * 1000;
    const base = (await median(15, async () => void (await ctx.read(probe)))) * 1000;
    console.log(`predict one row ${ours.toFixed(2)} ms; a 4-byte read-back ${base.toFixed(2)} ms`);
    return { name: 'predict one row, warm (latency)', unit: 'ms', ours, baseline: base, baselineName: 'a 4-byte read-back' };
  } finally {
    net.destroy();
    ctx.release(probe);
  }
}

/** The command line started cold against the same work in this warm process. */
async function commandLine(ctx: GpuContext): Promise<FixedRow[]> {
  const cli = new URL('../dist/cli/wgsl-learn.js', import.meta.url).pathname;
  if (!existsSync(cli) || !existsSync(new URL('../dist/lib/index.js', import.meta.url).pathname)) {
    console.log('command line: dist/cli is not built (npm run build:cli): rows left out');
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'wgsl-learn-fixed-'));
  try {
    const rng = new Random(5);
    const rows = Array.from({ length: 150 }, (_, i) => [...Array.from({ length: 4 }, () => (rng.next() * 8).toFixed(2)), `c${i % 3}`].join(','));
    writeFileSync(join(dir, 'data.csv'), `a,b,c,d,species\n${rows.join('\n')}\n`);
    writeFileSync(join(dir, 'one.csv'), `a,b,c,d\n${rows[0]!.split(',').slice(0, 4).join(',')}\n`);
    const run = (args: string[]) => {
      const t = now();
      execFileSync(process.execPath, [cli, ...args], { cwd: dir, stdio: 'ignore' });
      return now() - t;
    };
    const train = await median(3, async () => void run(['train', 'data.csv', '--target', 'species', '--epochs', '1', '--out', 'm.json']));
    const predict = await median(3, async () => void run(['predict', '--model', 'm.json', 'one.csv']));
    // The same work in this process, warm: a 4-16-3 network's 1-epoch fit on 150 rows, and one row's prediction.
    const x = rows.map((r) => r.split(',').slice(0, 4).map(Number));
    const y = rows.map((_, i) => i % 3);
    const warmTrain = await median(3, async () => {
      const net = new NeuralNetwork(ctx, { layers: [4, 16, 3] });
      await net.fit(x, y, { epochs: 1 });
      net.destroy();
    });
    const net = new NeuralNetwork(ctx, { layers: [4, 16, 3] });
    await net.fit(x, y, { epochs: 1 });
    const warmPredict = await median(5, async () => void (await net.predict([x[0]!])));
    net.destroy();
    console.log(`command line train ${(train * 1000).toFixed(0)} ms (warm ${(warmTrain * 1000).toFixed(0)}), predict ${(predict * 1000).toFixed(0)} ms (warm ${(warmPredict * 1000).toFixed(1)})`);
    return [
      { name: 'wgsl-learn train, 150 rows, 1 epoch, cold process', unit: 'ms', ours: train * 1000, baseline: warmTrain * 1000, baselineName: 'the fit in a warm process' },
      { name: 'wgsl-learn predict, one row, cold process', unit: 'ms', ours: predict * 1000, baseline: warmPredict * 1000, baselineName: 'the prediction in a warm process' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runFixedBench(ctx: GpuContext, o: { quick: boolean }): Promise<FixedRow[]> {
  const rows = await firstFit();
  rows.push(await setUp(ctx, o.quick ? 50_000 : 200_000));
  rows.push(await predictRow(ctx));
  rows.push(...(await commandLine(ctx)));
  return rows;
}
