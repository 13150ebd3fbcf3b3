// imageToDigit (shaders/image_to_digit.wgsl) against its float64 reference, the resampling
// that prepared the training data (src/data/downsample.mjs): textures of odd sizes holding a
// digit-like stroke pattern, light ink on dark and dark ink on light, RGBA and BGRA, a region,
// a blank image; written at an offset of the caller's buffer with no readback; bad options.

import { quantize, toDigit } from '../../src/data/downsample.mjs';
import { imageToDigit } from '../../src/kernels/image_to_digit.js';
import { ArgumentError } from '../../src/gpu/errors.js';
import { TextureUsage } from '../../src/gpu/flags.js';
import { Random } from '../../src/random.js';
import { assertClose, check, expectError } from '../support/compare.js';
import { type GpuCase, countMapAsync } from '../support/gpu.js';

/** A width × height RGBA8 image: a seeded blob of ink (grey levels and some colour) on a background. */
function image(seed: number, width: number, height: number, box: { x: number; y: number; w: number; h: number }, dark: boolean): Uint8Array<ArrayBuffer> {
  const rng = new Random(seed);
  const bytes = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = x >= box.x && x < box.x + box.w && y >= box.y && y < box.y + box.h;
      const ink = inside && rng.next() < 0.6 ? rng.next() : 0;
      const level = Math.round(255 * (dark ? 1 - ink : ink));
      // A little colour: the luminance weights must be the data's.
      bytes.set([level, Math.max(0, level - 20), Math.min(255, level + 10), 255], 4 * (y * width + x));
    }
  }
  return bytes;
}

/** The float64 reference: luminance (or 1 − it), then the data's resampling and quantisation. */
function reference(bytes: Uint8Array, width: number, height: number, dark: boolean, region = { x: 0, y: 0, w: width, h: height }): number[] {
  const ink = new Float64Array(region.w * region.h);
  for (let y = 0; y < region.h; y++) {
    for (let x = 0; x < region.w; x++) {
      const at = 4 * ((y + region.y) * width + x + region.x);
      const l = (0.299 * bytes[at]! + 0.587 * bytes[at + 1]! + 0.114 * bytes[at + 2]!) / 255;
      ink[y * region.w + x] = dark ? 1 - l : l;
    }
  }
  return Array.from(quantize(toDigit(ink, region.w, region.h, 20)), (v) => v / 255);
}

function bgra(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const out = Uint8Array.from(bytes);
  for (let i = 0; i < out.length; i += 4) [out[i], out[i + 2]] = [bytes[i + 2]!, bytes[i]!];
  return out;
}

const cases: GpuCase[] = [
  {
    name: 'imageToDigit: textures of 53×37, 200×90 and 1×1, light and dark ink, RGBA and BGRA, a region and a blank image match the data’s float64 resampling',
    async run(gpu) {
      const device = gpu.ctx.device;
      const out = gpu.output('digits', 1, 6 * 400, { offset: 5, tail: 3 });
      const textures: GPUTexture[] = [];
      const texture = (width: number, height: number, bytes: Uint8Array<ArrayBuffer>, format: GPUTextureFormat = 'rgba8unorm') => {
        const t = device.createTexture({ label: 'test digit image', size: [width, height], format, usage: TextureUsage.COPY_SRC | TextureUsage.COPY_DST | TextureUsage.TEXTURE_BINDING });
        device.queue.writeTexture({ texture: t }, bytes, { bytesPerRow: width * 4 }, [width, height]);
        textures.push(t);
        return t;
      };
      try {
        const a = image(1, 53, 37, { x: 11, y: 4, w: 17, h: 29 }, false);
        const b = image(2, 200, 90, { x: 120, y: 10, w: 70, h: 40 }, true);
        const c = image(3, 60, 60, { x: 20, y: 25, w: 30, h: 20 }, false);
        const blank = new Uint8Array(31 * 17 * 4).fill(0);
        const one = Uint8Array.from([200, 200, 200, 255]);
        const jobs: [GPUTexture, Parameters<typeof imageToDigit>[3], number[]][] = [
          [texture(53, 37, a), {}, reference(a, 53, 37, false)],
          [texture(200, 90, b), { ink: 'dark' }, reference(b, 200, 90, true)],
          [texture(53, 37, bgra(a), 'bgra8unorm'), {}, reference(a, 53, 37, false)],
          [texture(60, 60, c), { region: { x: 15, y: 20, width: 40, height: 33 } }, reference(c, 60, 60, false, { x: 15, y: 20, w: 40, h: 33 })],
          [texture(31, 17, blank), {}, new Array(400).fill(0)],
          [texture(1, 1, one), {}, reference(one, 1, 1, false)],
        ];
        const maps = await countMapAsync(out.buffer, async () => {
          for (const [i, [t, options]] of jobs.entries()) await imageToDigit(gpu.ctx, t, { buffer: out.buffer, offset: 5 + 400 * i }, options);
        });
        check(maps === 0, `${maps} readbacks while preparing digits on the GPU; want 0`);
        const got = await gpu.read(out);
        jobs.forEach(([, , want], i) => {
          // f32 sums against float64: a value on a rounding edge may land one step of 1/255 away.
          assertClose(`image ${i}`, got.subarray(400 * i, 400 * (i + 1)), want, { atol: 1 / 255 + 1e-6, rtol: 0 });
          const exact = want.filter((v, p) => Math.abs(got[400 * i + p]! - v) < 1e-6).length;
          check(exact >= 396, `image ${i}: only ${exact} of 400 pixels exactly as the reference`);
        });
        check(jobs.slice(0, 4).every((_, i) => got.subarray(400 * i, 400 * (i + 1)).some((v) => v > 0.1)), 'the digits have ink');
        const t = textures[0]!;
        await expectError(() => imageToDigit(gpu.ctx, t, { buffer: out.buffer, offset: 5 + 400 * 6 }), ArgumentError, ['target.offset', '400 values']);
        await expectError(() => imageToDigit(gpu.ctx, t, { buffer: out.buffer }, { region: { x: 50, y: 0, width: 10, height: 10 } }), ArgumentError, ['options.region', 'inside the 53×37']);
        await expectError(() => imageToDigit(gpu.ctx, t, { buffer: out.buffer }, { ink: 'red' as never }), ArgumentError, ['options.ink']);
        const float = device.createTexture({ label: 'test float texture', size: [4, 4], format: 'rgba16float', usage: TextureUsage.COPY_SRC });
        textures.push(float);
        await expectError(() => imageToDigit(gpu.ctx, float, { buffer: out.buffer }), ArgumentError, ['texture', 'rgba8unorm', 'rgba16float']);
      } finally {
        for (const t of textures) t.destroy();
      }
    },
  },
];

export const imageCases = cases;
