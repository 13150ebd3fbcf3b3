// Node only: reads PNG (./png.ts) and PGM (./pgm.ts) images as grey, for the command-line
// predictor, and finds the ink on them. Self-contained (no library state), so the command line
// bundles it.

import { type GrayImage, ImageError } from './gray-image.js';
import { decodePgm } from './pgm.js';
import { decodePng, isPng } from './png.js';

export { type GrayImage, ImageError, MAX_PIXELS } from './gray-image.js';

/** The image in `bytes` (a PNG, or a PGM P2/P5), as grey in [0, 1]; `name` names it in errors. */
export function decodeImage(bytes: Uint8Array, name = 'image'): GrayImage {
  if (isPng(bytes)) return decodePng(bytes, name);
  if (bytes[0] === 0x50 && (bytes[1] === 0x32 || bytes[1] === 0x35)) return decodePgm(bytes, name);
  throw new ImageError(`${name}: not a PNG or PGM (P2/P5) image`);
}

/** The value below which a fraction `q` of `values` lie. */
function quantile(values: Float32Array, q: number): number {
  const sorted = Float32Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** The pixels of the image's one-pixel frame. */
function border({ width: w, height: h, data }: GrayImage): Float32Array {
  const out: number[] = [];
  for (let x = 0; x < w; x++) out.push(data[x]!, data[(h - 1) * w + x]!);
  for (let y = 1; y < h - 1; y++) out.push(data[y * w]!, data[y * w + w - 1]!);
  return Float32Array.from(out);
}

/** Ink within this much of grainy paper is paper: 2.5 levels of an 8-bit file, above the rounding of any file's levels. */
const GRAIN_FLOOR = 2.5 / 255;

/**
 * The image as ink in [0, 1] on black (the digits' convention). The paper is the median of the
 * image's frame. Its grain — how far paper strays from that — is the largest of: GRAIN_FLOOR
 * where the frame is not all one value (noise rounded to a file's levels, sparse or not, and
 * float32's own steps); nine times the median
 * distance from the paper (six standard deviations of Gaussian grain: no stray pixel in 16
 * megapixels); four times the 90th percentile distance (noise finer than the median sees), at
 * most a quarter of the paper's range — robust to ink that touches the edge. Dark ink on light
 * paper (paper above 0.5) is inverted, ink is scaled so the paper is 0 and the darkest possible
 * ink 1, and anything within the grain of the paper is 0 — so off-white, grey or grainy paper is
 * cropped like white (the crop is every pixel above 0). A frame of pure white or black leaves the
 * values as they are (1 − v, or v) — so grain too sparse to touch the frame at all is read as ink.
 * All zeros: the image has no ink (isBlank).
 */
export function toInk(image: GrayImage): Float32Array {
  const frame = border(image);
  const paper = quantile(frame, 0.5);
  const light = paper > 0.5;
  const range = light ? paper : 1 - paper;
  const distance = frame.map((v) => Math.abs(v - paper));
  const floor = distance.some((d) => d > 0) ? GRAIN_FLOOR : 0;
  const grain = Math.max(floor, 9 * quantile(distance, 0.5), Math.min(4 * quantile(distance, 0.9), range / 4));
  if (!(range > grain)) return new Float32Array(image.data.length);
  return image.data.map((v) => {
    const dark = light ? paper - v : v - paper;
    return dark <= grain ? 0 : Math.min(1, dark / range);
  });
}

/** Whether ink (as toInk gives it) holds nothing to read. */
export function isBlank(ink: Float32Array): boolean {
  return !ink.some((v) => v >= 1 / 255);
}
