// How an image of a digit becomes the 20×20 input the classifier reads — the one function the
// data script (scripts/digits.mjs, on MNIST's 28×28 digits) and the demo's drawing pad share,
// so a drawn digit is prepared exactly as the training data were. Plain JavaScript so that the
// data script runs under Node before anything is built; types in downsample.d.mts.
//
//   1. crop to the bounding box of the pixels above 0 (the ink);
//   2. scale that box, keeping its aspect ratio, so its longer side is `side` pixels, centred
//      along the shorter side;
//   3. resample by area averaging: each output pixel is the mean of the source pixels under it,
//      each weighted by the fraction of its area covered (exact box filter, no aliasing);
//   4. (quantize) round to uint8, as the data file stores pixels.

/**
 * A width × height grayscale image (row-major, values in [0, 1], 0 = no ink) as side × side:
 * cropped to its ink, aspect ratio kept, area-averaged. A blank image gives all zeros.
 */
export function toDigit(src, width, height, side = 20) {
  let top = height, bottom = -1, left = width, right = -1;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      if (src[r * width + c] > 0) {
        if (r < top) top = r;
        if (r > bottom) bottom = r;
        if (c < left) left = c;
        if (c > right) right = c;
      }
    }
  }
  const out = new Float64Array(side * side);
  if (bottom < 0) return out; // blank
  const h = bottom - top + 1;
  const w = right - left + 1;
  const scale = side / Math.max(h, w); // output pixels per source pixel
  const offR = (side - h * scale) / 2;
  const offC = (side - w * scale) / 2;
  // Output pixel (R, C) covers source rows [top + (R − offR)/scale, top + (R + 1 − offR)/scale).
  for (let R = 0; R < side; R++) {
    const r0 = Math.max(0, (R - offR) / scale);
    const r1 = Math.min(h, (R + 1 - offR) / scale);
    if (r1 <= r0) continue;
    for (let C = 0; C < side; C++) {
      const c0 = Math.max(0, (C - offC) / scale);
      const c1 = Math.min(w, (C + 1 - offC) / scale);
      if (c1 <= c0) continue;
      let sum = 0;
      for (let r = Math.floor(r0); r < Math.ceil(r1); r++) {
        const dr = Math.min(r + 1, r1) - Math.max(r, r0);
        for (let c = Math.floor(c0); c < Math.ceil(c1); c++) {
          const dc = Math.min(c + 1, c1) - Math.max(c, c0);
          sum += dr * dc * src[(top + r) * width + left + c];
        }
      }
      // Divide by the whole output pixel's area in source units, so edge pixels half covered by the box fade.
      out[R * side + C] = sum * scale * scale;
    }
  }
  return out;
}

/** Pixels in [0, 1] as the data file's uint8 (0 … 255, rounded, clamped). */
export function quantize(pixels) {
  const out = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = Math.max(0, Math.min(255, Math.round(pixels[i] * 255)));
  return out;
}
