// The GPU runtime: errors that name what failed, a caller's device left alone, and the
// message a machine without WebGPU gets.

import { createContext } from '../../src/gpu/context.js';
import { GpuError, KernelCompileError, NoAdapterError } from '../../src/gpu/errors.js';
import { BufferUsage } from '../../src/gpu/flags.js';
import { matmul } from '../../src/kernels/matmul.js';
import { sigmoid } from '../../src/kernels/activation.js';
import { hostMatrix } from '../../src/reference/matmul.js';
import { assertClose, check, expectError } from '../support/compare.js';
import type { GpuCase } from '../support/gpu.js';

export const runtimeCases: GpuCase[] = [
  {
    name: 'runtime: a GPU validation error becomes a GpuError carrying the label',
    async run(gpu) {
      const small = gpu.ctx.createBuffer('small', 16, BufferUsage.COPY_SRC);
      const other = gpu.ctx.createBuffer('other', 16, BufferUsage.COPY_DST);
      try {
        const e = await expectError(
          () => gpu.ctx.submit('copy past the end', (enc) => enc.copyBufferToBuffer(small, 0, other, 0, 64)),
          GpuError,
          ['copy past the end', 'validation'],
        );
        check((e as GpuError).kind === 'validation', `kind is ${(e as GpuError).kind}`);
      } finally {
        gpu.ctx.release(small);
        gpu.ctx.release(other);
      }
    },
  },
  {
    name: 'runtime: WGSL that does not compile gives a KernelCompileError naming the kernel and line',
    async run(gpu) {
      const kernel = gpu.ctx.kernel({
        name: 'broken_kernel',
        sources: ['@compute @workgroup_size(1)\nfn main() {\n  let x: f32 = not_declared;\n}\n'],
      });
      await expectError(() => kernel.pipeline(), KernelCompileError, ['broken_kernel', 'line 3', 'not_declared']);
    },
  },
  {
    name: "runtime: a context on the caller's device uses it and never destroys it",
    async run(gpu) {
      const embedded = await createContext({ device: gpu.ctx.device });
      check(!embedded.ownsDevice && embedded.adapter.source === 'caller-device', 'context claims the caller device');
      const a = embedded.upload('a', Float32Array.from([1, 2, 3, 4]));
      const b = embedded.upload('b', Float32Array.from([5, 6, 7, 8]));
      const c = embedded.upload('c', new Float32Array(4));
      await matmul(embedded, { buffer: c, rows: 2, cols: 2 }, { buffer: a, rows: 2, cols: 2 }, { buffer: b, rows: 2, cols: 2 });
      assertClose('2×2 product on the embedded context', await embedded.read(c), [19, 22, 43, 50], { atol: 0, rtol: 0 });
      check(embedded.stats().buffers === 5, `embedded context tracks ${embedded.stats().buffers} buffers, want 5 (a, b, c, the read-only and the writable unused-binding placeholders)`);
      embedded.destroy();
      check(embedded.stats().buffers === 0, 'destroy() left buffers');
      // The device must still work for its owner.
      const z = gpu.vector('z', [0]);
      const out = gpu.vector('out', [NaN]);
      await sigmoid(gpu.ctx, out, z);
      assertClose('σ(0) after the embedded context was destroyed', await gpu.read(out), [0.5], { atol: 0, rtol: 0 });
    },
  },
  {
    name: 'runtime: no adapter gives a NoAdapterError that says what to install',
    async run() {
      const noAdapters = { requestAdapter: async () => null } as unknown as GPU;
      await expectError(() => createContext({ gpu: noAdapters }), NoAdapterError, ['No WebGPU adapter', 'Chrom']);
    },
  },
  {
    name: 'runtime: host matrices round-trip through a buffer unchanged',
    async run(gpu) {
      const m = hostMatrix(3, 5, Array.from({ length: 15 }, (_, i) => Math.fround(i / 7 - 1)));
      const view = gpu.matrix('m', m, { offset: 4, stride: 8, tail: 2 });
      assertClose('round trip', await gpu.read(view), m.data, { atol: 0, rtol: 0 });
    },
  },
];
