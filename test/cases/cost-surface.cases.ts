// The cost surface of one-feature linear regression (src/kernels/cost_surface.ts) against its
// float64 oracle: the lecture's houses (size normalised), J and log₁₀ J, a grid whose 1-D dispatch
// is split in two, an offset into the app's buffer, the normal equation's θ at the surface's
// lowest cell, and bad arguments refused by name with nothing written.

import { HOUSES } from '../../src/data/houses.js';
import { ArgumentError } from '../../src/gpu/errors.js';
import { BufferUsage } from '../../src/gpu/flags.js';
import { costSurface } from '../../src/kernels/cost_surface.js';
import { costSurface as reference, designMatrix, featureStats, normalEquation } from '../../src/reference/regression.js';
import { hostMatrix } from '../../src/reference/matmul.js';
import { assertClose, check, expectError } from '../support/compare.js';
import { type GpuCase, appBuffer } from '../support/gpu.js';

/** The houses' sizes, normalised as a LinearRegression sees them, and their prices. */
function houses(): { x: number[]; y: number[] } {
  const sizes = hostMatrix(5, 1, HOUSES.x.map((r) => r[0]!));
  const design = designMatrix(sizes, featureStats(sizes));
  return { x: Array.from({ length: 5 }, (_, i) => design.data[2 * i + 1]!), y: Array.from(HOUSES.y) };
}

export const costSurfaceCases: GpuCase[] = [
  {
    name: 'cost surface: J(θ₀, θ₁) of the houses over a grid equals the float64 reference (J and log₁₀ J); its lowest cell is the normal equation’s θ',
    async run(gpu) {
      const { x, y } = houses();
      const theta = normalEquation(designMatrix(hostMatrix(5, 1, x)), y);
      const [t0, t1] = [[theta[0]! - 200, theta[0]! + 200] as const, [theta[1]! - 200, theta[1]! + 200] as const];
      for (const [cols, rows, log10, offset] of [[41, 41, false, 0], [161, 121, true, 7], [9, 2, false, 3]] as const) {
        const out = appBuffer(gpu.ctx, 'test surface', new Float32Array(offset + rows * cols + 2).fill(-1));
        try {
          await costSurface(gpu.ctx, { x, y, theta0: t0, theta1: t1, cols, rows, log10 }, { buffer: out, offset });
          const all = await gpu.ctx.read(out);
          check(all[offset - 1] === undefined || offset === 0 || all[offset - 1] === -1, 'nothing written before the offset');
          check(all[offset + rows * cols] === -1, 'nothing written after the surface');
          const want = reference(x, y, t0, t1, cols, rows, log10);
          assertClose(`surface ${rows}×${cols}${log10 ? ' (log₁₀)' : ''}`, Float64Array.from(all.subarray(offset, offset + rows * cols)), want, { atol: log10 ? 1e-5 : 1e-2, rtol: 1e-5 });
          if (cols === 41 && rows === 41) {
            const got = all.subarray(0, rows * cols);
            const lowest = got.indexOf(Math.min(...got));
            check(lowest === 20 * 41 + 20, `the lowest cell is ${lowest}, the grid's centre (the normal equation's θ) is ${20 * 41 + 20}`);
          }
        } finally {
          out.destroy();
        }
      }
    },
  },
  {
    name: 'cost surface: a grid of 4096 × 300 (1.2 M cells) needs a 2-D dispatch under 256 workgroups per dimension and still equals the reference',
    async run(gpu) {
      const { x, y } = houses();
      const small = await import('../../src/gpu/context.js').then((m) => m.createContext({ device: gpu.ctx.device, limits: { maxComputeWorkgroupsPerDimension: 256 } }));
      const [cols, rows] = [4096, 300];
      const out = appBuffer(gpu.ctx, 'test surface', rows * cols * 4);
      try {
        await costSurface(small, { x, y, theta0: [-100, 900], theta1: [-300, 300], cols, rows }, { buffer: out });
        const got = await gpu.ctx.read(out);
        const want = reference(x, y, [-100, 900], [-300, 300], cols, rows);
        for (const i of [0, cols - 1, cols * 150 + 2000, rows * cols - 1]) check(Math.abs(got[i]! - want[i]!) <= 1e-5 * want[i]! + 1e-2, `cell ${i}: ${got[i]} vs ${want[i]}`);
        check(got.every((v) => v > 0), 'every cell written');
      } finally {
        out.destroy();
        small.destroy();
      }
    },
  },
  {
    name: 'cost surface: bad arguments are refused by name and nothing is written',
    async run(gpu) {
      const out = appBuffer(gpu.ctx, 'test surface', new Float32Array(100).fill(-1));
      const own = gpu.ctx.createBuffer('library-owned', 400, BufferUsage.STORAGE | BufferUsage.COPY_DST);
      try {
        const good = { x: [1, 2], y: [3, 4], theta0: [0, 1] as const, theta1: [0, 1] as const, cols: 5, rows: 4 };
        const bad: [() => Promise<unknown>, string[]][] = [
          [() => costSurface(gpu.ctx, { ...good, x: [] }, { buffer: out }), ['options.x']],
          [() => costSurface(gpu.ctx, { ...good, y: [1] }, { buffer: out }), ['options.y', '1 targets for 2']],
          [() => costSurface(gpu.ctx, { ...good, x: [1, 1e39] }, { buffer: out }), ['options.x[1]', 'float32']],
          [() => costSurface(gpu.ctx, { ...good, theta0: [1, 1] }, { buffer: out }), ['options.theta0']],
          [() => costSurface(gpu.ctx, { ...good, cols: 1 }, { buffer: out }), ['options.cols']],
          [() => costSurface(gpu.ctx, { ...good, rows: 30 }, { buffer: out }), ['target', 'needs 150']],
          [() => costSurface(gpu.ctx, good, { buffer: out, offset: 90 }), ['target', 'needs 110']],
          [() => costSurface(gpu.ctx, good, { buffer: own }), ['target.buffer', "library's own"]],
          [() => costSurface(gpu.ctx, { ...good, colums: 3 } as never, { buffer: out }), ['options.colums', "did you mean 'cols'"]],
        ];
        for (const [call, parts] of bad) await expectError(call, ArgumentError, parts);
        check((await gpu.ctx.read(out)).every((v) => v === -1), 'nothing written');
      } finally {
        out.destroy();
        gpu.ctx.release(own);
      }
    },
  },
];
