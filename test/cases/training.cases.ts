// The training scheduler's kernels against their float64 references: the mini-batch gather and
// its seeded shuffle, feature statistics and the design matrix (chunked and not), and the
// regression head through cost, predict and gradient — large logits, K = 100, λ.

import { ArgumentError } from '../../src/gpu/errors.js';
import { BufferUsage } from '../../src/gpu/flags.js';
import { type Dispatch, encodeDispatch } from '../../src/gpu/kernel.js';
import { LinearRegression } from '../../src/models/linear.js';
import { LogisticRegression } from '../../src/models/logistic.js';
import type { RegressionModel } from '../../src/models/regression.js';
import { SoftmaxRegression } from '../../src/models/softmax.js';
import { Random } from '../../src/random.js';
import { hostMatrix } from '../../src/reference/matmul.js';
import * as ref from '../../src/reference/regression.js';
import { GpuDataset } from '../../src/train/dataset.js';
import { shuffledIndex } from '../../src/train/shuffle.js';
import { StepTable } from '../../src/train/step-table.js';
import { BATCH_GATHER, gatherGrid } from '../../src/kernels/batch_gather.js';
import { assertClose, check, expectError } from '../support/compare.js';
import { toHost } from '../support/data.js';
import type { GpuCase, Scratch } from '../support/gpu.js';

/**
 * Gathers one batch — or rows part.start … part.start + part.rows − 1 of it, as a batch too big
 * for one binding is gathered — from a set split into chunks of `chunkRows`, where
 * x̃[i][c] = i·cols + c and y[i] = i.
 */
async function gather(
  gpu: Scratch,
  o: { m: number; cols: number; batch: number; chunkRows: number; shuffle: boolean; seed: number; epoch: number; position: number; part?: { start: number; rows: number }; sets?: number },
): Promise<{ x: Float64Array; y: Float64Array }> {
  const sets = o.sets ?? 1;
  const { ctx } = gpu;
  const kernel = ctx.kernel(BATCH_GATHER);
  const pipeline = await kernel.pipeline({ WORKGROUP_SIZE: 256 });
  const part = o.part ?? { start: 0, rows: o.batch };
  const xb = gpu.output('x batch', sets * part.rows, o.cols);
  const yb = gpu.output('y batch', 1, sets * part.rows);
  const steps = new StepTable(ctx, 2, 'gather test');
  const count = Math.min(o.batch, o.m - o.position);
  // Record 1 is the one used: a non-zero dynamic offset must select it.
  steps.write([{ epoch: 999, position: 0, count: 0, t: 0, rate: 0 }, { epoch: o.epoch, position: o.position, count, t: 1, rate: 0 }]);
  const made: GPUBuffer[] = [];
  try {
    const dispatches: Dispatch[] = [];
    for (let start = 0; start < sets * o.m; start += o.chunkRows) {
      const rows = Math.min(o.chunkRows, sets * o.m - start);
      const x = gpu.matrix(`x chunk ${start}`, hostMatrix(rows, o.cols, Array.from({ length: rows * o.cols }, (_, e) => start * o.cols + e)));
      const y = gpu.vector(`y chunk ${start}`, Array.from({ length: rows }, (_, i) => start + i));
      const params = ctx.createUniform('gather params', kernel.params({
        batch: part.rows, batch_start: part.start, cols: o.cols, examples: o.m, chunk_start: start, chunk_rows: rows, shuffle: o.shuffle ? 1 : 0, seed: o.seed, sets,
      }));
      made.push(params);
      dispatches.push({
        label: 'gather', pipeline, dynamicGroup: kernel.dynamicGroup, workgroups: gatherGrid(sets * part.rows, o.cols, ctx.limits),
        bindGroups: kernel.bindGroups({ x: x.buffer, y: y.buffer, x_batch: xb.buffer, y_batch: yb.buffer, params, step: steps.binding }),
      });
    }
    await ctx.submit('gather test', (enc) => {
      const pass = enc.beginComputePass();
      for (const d of dispatches) encodeDispatch(pass, d, steps.stride);
      pass.end();
    });
    return { x: await gpu.read(xb), y: await gpu.read(yb) };
  } finally {
    steps.destroy();
    for (const b of made) ctx.release(b);
  }
}

function expectedGather(o: Parameters<typeof gather>[1]): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  const part = o.part ?? { start: 0, rows: o.batch };
  for (let set = 0; set < (o.sets ?? 1); set++) {
    for (let r = part.start; r < part.start + part.rows; r++) {
      const p = o.position + r;
      if (p >= o.m) {
        x.push(...new Array(o.cols).fill(0));
        y.push(0);
        continue;
      }
      const src = set * o.m + (o.shuffle ? shuffledIndex(p, o.m, o.seed, o.epoch) : p);
      for (let c = 0; c < o.cols; c++) x.push(src * o.cols + c);
      y.push(src);
    }
  }
  return { x, y };
}

/** Random features, and θ that gives logits of about ±`scale`. */
function problem(seed: number, m: number, n: number, K: number, scale: number) {
  const rng = new Random(seed);
  const x = Array.from({ length: m }, () => Array.from(rng.floats(n)));
  const theta = rng.floats((n + 1) * K, -scale / n, scale / n);
  return { x, theta, rng };
}

type HeadModel = RegressionModel & { predict(x: number[][]): Promise<ArrayLike<number>> };

/**
 * Sets Θ on `model`, then checks its cost, gradient and predictions against float64, runs
 * `more`, and destroys the model.
 */
async function checkHead<M extends HeadModel>(
  model: M,
  x: number[][],
  y: number[],
  theta: Float64Array,
  lambda: number,
  tol: { atol: number; rtol: number },
  more?: (model: M) => Promise<void>,
): Promise<void> {
  try {
    const head = model.head;
    const design = ref.designMatrix(toHost(x));
    const T = hostMatrix(model.outputs, theta.length / model.outputs, theta);
    model.setTheta(theta);
    const want = ref.cost(head, design, y, T, lambda);
    const got = await model.cost(x, y, { lambda });
    assertClose(`${head} cost (total, mean)`, [got.total, got.mean], [want.total, want.mean], tol);
    if (head !== 'linear') check(Math.abs(got.accuracy! - want.accuracy) < 1e-6, `${head} accuracy ${got.accuracy}, want ${want.accuracy}`);
    assertClose(`${head} gradient`, await model.gradient(x, y, { lambda }), ref.gradient(head, design, y, T, lambda).data, tol);
    const z = ref.logits(design, T);
    const labels = Array.from({ length: x.length }, (_, i) => {
      const row = z.data.subarray(i * model.outputs, (i + 1) * model.outputs);
      return head === 'linear' ? ref.hypothesisRow(head, row)[0]! : ref.predictLabel(head, row);
    });
    assertClose(`${head} predict`, await model.predict(x), labels, head === 'linear' ? tol : { atol: 0, rtol: 0 });
    await more?.(model);
  } finally {
    model.destroy();
  }
}

const cases: GpuCase[] = [
  ...[
    { name: 'data order, one chunk', m: 37, cols: 3, batch: 8, chunkRows: 37, shuffle: false, seed: 0, epoch: 0, position: 8 },
    { name: 'shuffled, three chunks', m: 37, cols: 3, batch: 8, chunkRows: 13, shuffle: true, seed: 7, epoch: 3, position: 16 },
    { name: 'short last batch zero-filled', m: 37, cols: 2, batch: 8, chunkRows: 20, shuffle: true, seed: 1, epoch: 0, position: 32 },
    { name: '1×1', m: 1, cols: 1, batch: 1, chunkRows: 1, shuffle: true, seed: 5, epoch: 2, position: 0 },
    { name: 'rows 3…5 of a batch in parts, short last batch, three chunks', m: 37, cols: 3, batch: 8, chunkRows: 13, shuffle: true, seed: 4, epoch: 1, position: 32, part: { start: 3, rows: 3 } },
    { name: 'three training sets (folds) one after another, shuffled, each set\'s batch after the last', m: 37, cols: 3, batch: 8, chunkRows: 111, shuffle: true, seed: 9, epoch: 2, position: 8, sets: 3 },
    { name: 'two training sets over three chunks, short last batch zero-filled in each', m: 21, cols: 34, batch: 8, chunkRows: 17, shuffle: true, seed: 3, epoch: 1, position: 16, sets: 2 },
  ].map(
    (o): GpuCase => ({
      name: `batch_gather: ${o.name} (m ${o.m}, batch ${o.batch}) matches the TypeScript shuffle`,
      async run(gpu) {
        const got = await gather(gpu, o);
        const want = expectedGather(o);
        assertClose('x̃ batch', got.x, want.x, { atol: 0, rtol: 0 });
        assertClose('y batch', got.y, want.y, { atol: 0, rtol: 0 });
      },
    }),
  ),
  {
    name: 'feature_stats + design_matrix: μ, σ and x̃ = [1, (x − μ)/σ] match float64, one chunk and seven; a constant feature gets σ = 1',
    async run(gpu) {
      const rng = new Random(11);
      const m = 33;
      const n = 9;
      // House-like magnitudes (hundreds to thousands), one constant column, one tiny-range column.
      const x = Array.from({ length: m }, () => [
        ...Array.from(rng.floats(n - 2, 500, 3000)), Math.fround(7.25), Math.fround(rng.uniform(0.001, 0.002)),
      ]);
      const host = toHost(x);
      const stats = ref.featureStats(host);
      check(stats.std[n - 2] === 1, 'reference: constant feature has σ = 1');
      const want = ref.designMatrix(host, stats);
      for (const maxBindingBytes of [undefined, m * 4]) {
        const statsBuffer = gpu.ctx.createBuffer('stats', 4 * n * 4, BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST);
        const data = await GpuDataset.upload(gpu.ctx, 'test', { rows: m, cols: n, data: Float32Array.from(host.data) }, new Float32Array(m), {
          normalize: true, stats: statsBuffer, computeStats: true, outputs: 1, maxBindingBytes,
        });
        try {
          check(data.chunks.length === (maxBindingBytes ? Math.ceil(m / Math.floor(m / (n + 1))) : 1), `${data.chunks.length} chunks`);
          const s = await gpu.ctx.read(statsBuffer);
          // μ of values near 3000 from f32 sums: ~1e-7 relative; σ from deviations likewise.
          assertClose('μ', s.subarray(n, 2 * n), stats.mean, { atol: 1e-6, rtol: 2e-6 });
          assertClose('σ', s.subarray(3 * n, 4 * n), stats.std, { atol: 1e-8, rtol: 2e-5 });
          const got: number[] = [];
          for (const c of data.chunks) got.push(...(await gpu.ctx.read(c.x)));
          // (x − μ)/σ with |x − μ| ≲ σ·2: absolute error ~ ulp(x)/σ.
          assertClose('x̃', got, want.data, { atol: 2e-5, rtol: 2e-5 });
        } finally {
          data.destroy();
          gpu.ctx.release(statsBuffer);
        }
      }
    },
  },
  {
    name: 'design matrix unnormalised: x̃ = [1, x] exactly, from CPU memory (laid out while copied, slab by slab) and from a GPU buffer (the GPU pass), in one chunk and in several; n of 1 to 17 and 1100 (slabs end mid-set)',
    async run(gpu) {
      const rng = new Random(12);
      for (const [m, n] of [[37, 1], [37, 3], [37, 15], [37, 16], [37, 17], [2000, 1100]] as const) {
        const host = toHost(Array.from({ length: m }, () => Array.from(rng.floats(n, -5, 5))));
        const want = ref.designMatrix(host);
        const features = Float32Array.from(host.data);
        const onGpu = gpu.ctx.upload('features', features, BufferUsage.COPY_SRC);
        const statsBuffer = gpu.ctx.createBuffer('stats', 4 * n * 4, BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST);
        try {
          for (const source of ['cpu', 'gpu'] as const) {
            for (const maxBindingBytes of [undefined, Math.max(m * 4, Math.ceil(m / 3) * (n + 1) * 4)]) {
              const x = source === 'cpu' ? { rows: m, cols: n, data: features } : { rows: m, cols: n, gpu: { buffer: onGpu, offset: 0 } };
              const data = await GpuDataset.upload(gpu.ctx, 'test', x, new Float32Array(m), { normalize: false, stats: statsBuffer, computeStats: false, outputs: 1, maxBindingBytes });
              try {
                check(data.chunks.length === (maxBindingBytes ? Math.ceil(m / Math.floor(maxBindingBytes / (4 * (n + 1)))) : 1) && (!maxBindingBytes || data.chunks.length > 1), `${m}×${n} ${source}: ${data.chunks.length} chunks`);
                const got = new Float32Array(want.data.length);
                let at = 0;
                for (const c of data.chunks) {
                  const part = await gpu.ctx.read(c.x);
                  got.set(part, at);
                  at += part.length;
                }
                check(at === want.data.length, `${m}×${n} ${source}: ${at} values`);
                const wrong = got.findIndex((v, e) => v !== want.data[e]);
                check(wrong < 0, `${m}×${n} ${source}${maxBindingBytes ? ', chunked' : ''}: x̃[${Math.floor(wrong / (n + 1))}][${wrong % (n + 1)}] = ${got[wrong]}, want ${want.data[wrong]}`);
              } finally {
                data.destroy();
              }
            }
          }
        } finally {
          gpu.ctx.release(onGpu);
          gpu.ctx.release(statsBuffer);
        }
      }
    },
  },
  {
    name: 'output_delta (linear): cost ½Σ(h − y)², gradient and h match float64, with λ',
    async run(gpu) {
      const { x, theta, rng } = problem(21, 45, 6, 1, 3);
      const y = x.map(() => Math.fround(rng.uniform(-3, 3)));
      await checkHead(new LinearRegression(gpu.ctx, { normalize: false }), x, y, theta, 0.7, { atol: 1e-5, rtol: 1e-4 });
    },
  },
  {
    name: 'output_delta (logistic): cross-entropy in logits form stays finite and exact for logits of ±1000',
    async run(gpu) {
      for (const scale of [2, 1000]) {
        const { x, theta, rng } = problem(22 + scale, 40, 5, 1, scale);
        const y = x.map(() => (rng.next() < 0.5 ? 0 : 1));
        // Costs up to ~1000 per example: rtol covers f32 rounding of z itself.
        await checkHead(new LogisticRegression(gpu.ctx, { normalize: false }), x, y, theta, 0.3, { atol: 1e-5, rtol: 2e-4 });
      }
    },
  },
  {
    name: 'output_delta (softmax): K = 3 and K = 100, logits of ±1000 subtract the max (no overflow)',
    async run(gpu) {
      for (const [K, scale] of [[3, 2], [3, 1000], [100, 4]] as const) {
        const { x, theta, rng } = problem(40 + K + scale, 30, 4, K, scale);
        const y = x.map(() => rng.int(0, K - 1));
        await checkHead(new SoftmaxRegression(gpu.ctx, { classes: K, normalize: false }), x, y, theta, 0.2, { atol: 1e-5, rtol: 2e-4 }, async (model) => {
          const phi = await model.predictProbabilities(x.slice(0, 3));
          for (let i = 0; i < 3; i++) {
            let s = 0;
            for (let k = 0; k < K; k++) s += phi[i * K + k]!;
            check(Math.abs(s - 1) < 1e-5, `row ${i} of φ sums to ${s}`);
          }
        });
      }
    },
  },
  {
    name: 'output_delta: the same cost and gradient when the data is split into chunks (maxBindingBytes)',
    async run(gpu) {
      const { x, theta, rng } = problem(77, 50, 9, 3, 2);
      const y = x.map(() => rng.int(0, 2));
      const whole = new SoftmaxRegression(gpu.ctx, { classes: 3, normalize: false });
      const tooSmall = new LinearRegression(gpu.ctx, { normalize: false, maxBindingBytes: 100 });
      try {
        // 200 bytes a binding: 5 examples of 10 columns per chunk, 10 chunks.
        await checkHead(new SoftmaxRegression(gpu.ctx, { classes: 3, normalize: false, maxBindingBytes: 200 }), x, y, theta, 0.5, { atol: 1e-5, rtol: 2e-4 }, async (chunked) => {
          whole.setTheta(theta);
          assertClose('chunked vs whole gradient', await chunked.gradient(x, y), await whole.gradient(x, y), { atol: 1e-6, rtol: 1e-5 });
        });
        // 50 examples need 200-byte per-example buffers: more than a 100-byte binding, so a clear error.
        await expectError(() => tooSmall.fit(x, x.map(() => 0)), ArgumentError, ['x', 'over one storage binding']);
      } finally {
        tooSmall.destroy();
        whole.destroy();
      }
    },
  },
];

export const trainingKernelCases = cases;
