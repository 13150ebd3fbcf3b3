// The 20×20 digit set: the resampling of scripts/digits.mjs on shapes whose answer is known,
// and the file it wrote (npm test runs the script first) parsed by src/data/digits.ts.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDigits } from '../../src/data/digits.js';
import { to20 } from '../../scripts/digits.mjs';

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
