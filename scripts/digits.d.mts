// Types for scripts/digits.mjs (a plain Node script, so it runs before anything is built).

/** A 28×28 MNIST digit (values in [0, 1]) as a 20×20 one: cropped to its ink, aspect ratio kept, area-averaged. */
export function to20(src: ArrayLike<number>): Float64Array;
