// A texture (a canvas, a video frame) turned into the digit classifier's 20×20 input on the
// GPU, with no readback: the texture is copied into a buffer, shaders/image_to_digit.wgsl finds
// the ink's bounding box and resamples it exactly as the training data were prepared
// (src/data/downsample.mjs is its float64 reference), and the 400 values land in the caller's
// buffer, ready for predictInto.

import imageToDigitWgsl from '../../shaders/image_to_digit.wgsl?raw';
import type { GpuContext } from '../gpu/context.js';
import { ArgumentError } from '../gpu/errors.js';
import { BufferUsage, TextureUsage } from '../gpu/flags.js';
import { type KernelSpec, encodeDispatch } from '../gpu/kernel.js';
import { BUFFER_TARGET, checkOptions, kinds, optionTable } from '../options.js';

export const IMAGE_TO_DIGIT: KernelSpec = { name: 'image_to_digit', sources: [imageToDigitWgsl] };

const FORMATS: Record<string, boolean> = { rgba8unorm: false, 'rgba8unorm-srgb': false, bgra8unorm: true, 'bgra8unorm-srgb': true };

export interface ImageToDigitOptions {
  /** The part of the texture holding the digit, in texels. Default: the whole texture. */
  region?: { x: number; y: number; width: number; height: number };
  /** 'light' (default): light ink on a dark background, as the digits are; 'dark': dark ink on paper. */
  ink?: 'light' | 'dark';
  /** Ink above this counts as the digit for the bounding box. Default 0, as for the data; raise it (e.g. 0.2) for camera noise. */
  threshold?: number;
}

const TEXELS = kinds.integer(0, 2 ** 16, ' (texels)');
const IMAGE_TO_DIGIT_OPTIONS = optionTable<ImageToDigitOptions>('imageToDigit options', {
  region: kinds.object({ x: kinds.required(TEXELS), y: kinds.required(TEXELS), width: kinds.required(TEXELS), height: kinds.required(TEXELS) }),
  ink: kinds.choice(['light', 'dark']),
  threshold: kinds.number('a number in [0, 1)', (t) => t >= 0 && t < 1),
});
const DIGIT_TARGET = optionTable('imageToDigit target', BUFFER_TARGET);

/**
 * Writes the 20×20 digit in `texture` (rgba8unorm or bgra8unorm, with COPY_SRC usage) as 400
 * float32 values in [0, 1] into `target.buffer` (STORAGE usage) from element `target.offset`.
 * Queued on the device; resolves once submitted. Copy a video frame or an image into such a
 * texture first (queue.copyExternalImageToTexture).
 */
export async function imageToDigit(ctx: GpuContext, texture: GPUTexture, target: { buffer: GPUBuffer; offset?: number }, options: ImageToDigitOptions = {}): Promise<void> {
  if (!texture || typeof texture.createView !== 'function') throw new ArgumentError('texture', 'must be a GPUTexture');
  checkOptions('target', target, DIGIT_TARGET);
  checkOptions('options', options, IMAGE_TO_DIGIT_OPTIONS);
  if (ctx.owns(target.buffer)) throw new ArgumentError('target.buffer', "is one of the library's own buffers (a model's Θ or statistics): give a buffer of your own");
  if (!Object.hasOwn(FORMATS, texture.format)) throw new ArgumentError('texture', `must be rgba8unorm or bgra8unorm (copy the image into one), got ${texture.format}`);
  if (!(texture.usage & TextureUsage.COPY_SRC)) throw new ArgumentError('texture', 'needs COPY_SRC usage: it is copied into a buffer on the GPU');
  const r = options.region ?? { x: 0, y: 0, width: texture.width, height: texture.height };
  if (r.width < 1 || r.height < 1 || r.x + r.width > texture.width || r.y + r.height > texture.height) {
    throw new ArgumentError('options.region', `${r.width}×${r.height} at (${r.x}, ${r.y}) must be non-empty and inside the ${texture.width}×${texture.height} texture`);
  }
  const ink = options.ink ?? 'light';
  const threshold = options.threshold ?? 0;
  const offset = target.offset ?? 0;
  if (!(target.buffer.usage & BufferUsage.STORAGE)) {
    throw new ArgumentError('target.buffer', 'must be a GPUBuffer with STORAGE usage');
  }
  if ((offset + 400) * 4 > target.buffer.size) {
    throw new ArgumentError('target.offset', `400 values from element ${offset} must fit the ${target.buffer.size / 4}-float buffer`);
  }
  const bytesPerRow = Math.ceil((r.width * 4) / 256) * 256;
  const kernel = ctx.kernel(IMAGE_TO_DIGIT);
  const [bounds, resample] = await Promise.all([kernel.pipeline({ PASS: 0 }), kernel.pipeline({ PASS: 1 })]);
  const made: GPUBuffer[] = [];
  try {
    made.push(ctx.createBuffer('image to digit pixels', bytesPerRow * r.height, BufferUsage.STORAGE | BufferUsage.COPY_DST));
    made.push(ctx.createBuffer('image to digit box', 16, BufferUsage.STORAGE));
    made.push(ctx.createUniform('image to digit params', kernel.params({
      width: r.width, height: r.height, row_words: bytesPerRow / 4, bgra: FORMATS[texture.format] ? 1 : 0, dark_ink: ink === 'dark' ? 1 : 0, threshold, offset,
    })));
    const [pixels, box, params] = made as [GPUBuffer, GPUBuffer, GPUBuffer];
    const groups = kernel.bindGroups({ pixels, box, out: target.buffer, params }, 'image to digit');
    await ctx.submit('image to digit', (enc) => {
      enc.copyTextureToBuffer({ texture, origin: [r.x, r.y] }, { buffer: pixels, bytesPerRow }, [r.width, r.height]);
      const pass = enc.beginComputePass({ label: 'image to digit' });
      encodeDispatch(pass, { label: 'image to digit bounds', pipeline: bounds, bindGroups: groups, workgroups: [1, 1, 1] });
      encodeDispatch(pass, { label: 'image to digit resample', pipeline: resample, bindGroups: groups, workgroups: [2, 1, 1] });
      pass.end();
    });
  } finally {
    // Destroying after submit is safe: the queued work keeps what it uses.
    for (const b of made) ctx.release(b);
  }
}
