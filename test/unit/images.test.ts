// The command-line predictor's image reader (src/node/images.ts) against images written by the
// test's own encoders: every PNG row filter, gray, gray+alpha, RGB and RGBA, 8 and 16 bits,
// alpha over white, PGM in text and binary forms, ink polarity, and broken files.

import { describe, expect, it } from 'vitest';
import { ImageError, decodeImage, toInk } from '../../src/node/images.js';
import { encodePgm, encodePng } from '../support/images.js';

const W = 7;
const H = 5;
const gray = Array.from({ length: W * H }, (_, i) => ((i * 37) % 256) / 255);

function expectPixels(got: Float64Array, want: number[], tolerance: number): void {
  expect(got.length).toBe(want.length);
  want.forEach((v, i) => expect(Math.abs(got[i]! - v), `pixel ${i}`).toBeLessThanOrEqual(tolerance));
}

describe('PNG', () => {
  for (const filter of [0, 1, 2, 3, 4] as const) {
    it(`gray 8-bit, row filter ${filter}`, () => {
      const img = decodeImage(encodePng(W, H, gray, { filter }));
      expect([img.width, img.height]).toEqual([W, H]);
      expectPixels(img.data, gray, 1e-12);
    });
  }

  it('gray 16-bit, Paeth filter', () => {
    expectPixels(decodeImage(encodePng(W, H, gray, { depth: 16, filter: 4 })).data, gray, 1e-12);
  });

  it('RGB and RGBA give luminance 0.299 R + 0.587 G + 0.114 B; alpha is composited over white', () => {
    const q = (v: number) => Math.round(v * 255) / 255; // what an 8-bit file holds
    const rgb = gray.flatMap((v, i) => [v, (i % 3) / 2, 1 - v]);
    const lum = gray.map((v, i) => 0.299 * q(v) + 0.587 * q((i % 3) / 2) + 0.114 * q(1 - v));
    expectPixels(decodeImage(encodePng(W, H, rgb, { channels: 3, filter: 1 })).data, lum, 1e-9);
    const rgba = gray.flatMap((v, i) => [v, (i % 3) / 2, 1 - v, (i % 2) ? 1 : 0]);
    const over = lum.map((l, i) => ((i % 2) ? l : 1));
    expectPixels(decodeImage(encodePng(W, H, rgba, { channels: 4, filter: 3 })).data, over, 1e-9);
    const ga = gray.flatMap((v) => [v, 0.5]);
    expectPixels(decodeImage(encodePng(W, H, ga, { channels: 2, filter: 2 })).data, gray.map((v) => q(v) * q(0.5) + 1 - q(0.5)), 1e-9);
  });

  it('broken files say what is wrong', () => {
    const good = encodePng(W, H, gray);
    expect(() => decodeImage(good.subarray(0, 40), 'cut.png')).toThrow(ImageError);
    expect(() => decodeImage(good.subarray(0, 40), 'cut.png')).toThrow(/cut\.png: PNG/);
    expect(() => decodeImage(new TextEncoder().encode('GIF89a....'), 'x.gif')).toThrow(/x\.gif: not a PNG or PGM/);
  });
});

describe('PGM', () => {
  it('P5 8-bit, P5 16-bit and P2 text, with a comment in the header', () => {
    expectPixels(decodeImage(encodePgm(W, H, gray)).data, gray, 1e-12);
    expectPixels(decodeImage(encodePgm(W, H, gray, { maxval: 65535 })).data, gray, 1e-4);
    expectPixels(decodeImage(encodePgm(W, H, gray, { text: true, maxval: 15 })).data, gray.map((v) => Math.round(v * 15) / 15), 1e-12);
  });

  it('a truncated P5 or a bad size is refused by name', () => {
    expect(() => decodeImage(encodePgm(W, H, gray).subarray(0, 30), 'a.pgm')).toThrow(/a\.pgm: PGM pixel data is truncated/);
    expect(() => decodeImage(new TextEncoder().encode('P5\n0 4\n255\n'), 'b.pgm')).toThrow(/b\.pgm: PGM size/);
  });
});

describe('ink', () => {
  it('dark ink on a light page is inverted; light ink on black is kept', () => {
    const page = { width: 3, height: 3, data: Float64Array.from([1, 1, 1, 1, 0.2, 1, 1, 1, 1]) };
    expectPixels(toInk(page), [0, 0, 0, 0, 0.8, 0, 0, 0, 0], 1e-12);
    const night = { width: 3, height: 3, data: Float64Array.from([0, 0, 0, 0, 0.7, 0, 0, 0, 0]) };
    expectPixels(toInk(night), Array.from(night.data), 0);
  });
});
