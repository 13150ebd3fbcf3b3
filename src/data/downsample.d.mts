// Types for src/data/downsample.mjs.

/**
 * A width × height grayscale image (row-major, values in [0, 1], 0 = no ink) as side × side
 * (default 20): cropped to its ink, aspect ratio kept, area-averaged.
 */
export function toDigit(src: ArrayLike<number>, width: number, height: number, side?: number): Float64Array;

/** Pixels in [0, 1] as the data file's uint8 (0 … 255, rounded, clamped). */
export function quantize(pixels: ArrayLike<number>): Uint8Array;
