// What the image readers (./png.ts, ./pgm.ts) return and throw, and the limits they check
// before allocating anything sized by a file's own declarations.

export interface GrayImage {
  width: number;
  height: number;
  /** Row-major, 0 = black, 1 = white (transparent parts composited over white). */
  data: Float32Array;
}

/** An image file that cannot be read: the message names the file and what is wrong with it. */
export class ImageError extends Error {
  override name = 'ImageError';
}

/** The most pixels an image may have: 2²⁴ (4096 × 4096), about 16.7 megapixels. */
export const MAX_PIXELS = 2 ** 24;

/** Checks a declared size before anything is allocated for it. */
export function checkSize(name: string, kind: string, width: number, height: number): void {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width >= 1 && height >= 1)) throw new ImageError(`${name}: ${kind} size ${width} × ${height} is not valid`);
  if (width * height > MAX_PIXELS) throw new ImageError(`${name}: ${kind} of ${width} × ${height} pixels is larger than the ${MAX_PIXELS.toLocaleString('en')} pixels (4096 × 4096) read here; scale it down first`);
}
