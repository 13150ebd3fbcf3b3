// The command-line predictor's image readers (src/node/png.ts, pgm.ts) and ink finder
// (images.ts) against images the test writes itself: every PNG row filter, grey, grey+alpha,
// RGB and RGBA at 8 and 16 bits, alpha over white, PGM in text and binary forms; the same
// drawing in every colour form giving the same ink; off-white and noisy paper; blank pages; and
// hostile files — every truncation, every single-byte corruption, a decompression bomb, huge
// declared sizes, a palette index past the palette, a 2 MB PGM token — each refused with an
// ImageError and nothing else (ImageMagick's own decoding of a generated corpus:
// test/unit/imagemagick.test.ts).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantize, toDigit } from '../../src/data/downsample.mjs';
import { ImageError, MAX_PIXELS, decodeImage, isBlank, toInk } from '../../src/node/images.js';
import { chunk, deflateSync, encodePgm, encodePng, ihdr, pngOf } from '../support/images.js';

const W = 7;
const H = 5;
const gray = Array.from({ length: W * H }, (_, i) => ((i * 37) % 256) / 255);

function expectPixels(got: ArrayLike<number>, want: number[], tolerance: number): void {
  expect(got.length).toBe(want.length);
  want.forEach((v, i) => expect(Math.abs(got[i]! - v), `pixel ${i}`).toBeLessThanOrEqual(tolerance));
}

/** The 20×20 the model sees. */
const digitOf = (image: { width: number; height: number; data: Float32Array }) => quantize(toDigit(toInk(image), image.width, image.height, 20));

/** A drawing: a thick stroke of ink (1) on nothing (0), 30 × 40. */
const drawing = Array.from({ length: 30 * 40 }, (_, i) => {
  const [x, y] = [i % 30, Math.floor(i / 30)];
  return Math.abs(x - 15 - (y - 20) * 0.3) < 3 && y > 5 && y < 35 ? 1 : x === 10 && y === 20 ? 0.5 : 0;
});

describe('PNG', () => {
  for (const filter of [0, 1, 2, 3, 4] as const) {
    it(`gray 8-bit, row filter ${filter}`, () => {
      const img = decodeImage(encodePng(W, H, gray, { filter }));
      expect([img.width, img.height]).toEqual([W, H]);
      expectPixels(img.data, gray, 1e-7);
    });
  }

  it('gray 16-bit, Paeth filter', () => {
    expectPixels(decodeImage(encodePng(W, H, gray, { depth: 16, filter: 4 })).data, gray, 1e-7);
  });

  it('RGB and RGBA give luminance 0.299 R + 0.587 G + 0.114 B; alpha is composited over white', () => {
    const q = (v: number) => Math.round(v * 255) / 255; // what an 8-bit file holds
    const rgb = gray.flatMap((v, i) => [v, (i % 3) / 2, 1 - v]);
    const lum = gray.map((v, i) => 0.299 * q(v) + 0.587 * q((i % 3) / 2) + 0.114 * q(1 - v));
    expectPixels(decodeImage(encodePng(W, H, rgb, { channels: 3, filter: 1 })).data, lum, 1e-6);
    const rgba = gray.flatMap((v, i) => [v, (i % 3) / 2, 1 - v, (i % 2) ? 1 : 0]);
    const over = lum.map((l, i) => ((i % 2) ? l : 1));
    expectPixels(decodeImage(encodePng(W, H, rgba, { channels: 4, filter: 3 })).data, over, 1e-6);
    const ga = gray.flatMap((v) => [v, 0.5]);
    expectPixels(decodeImage(encodePng(W, H, ga, { channels: 2, filter: 2 })).data, gray.map((v) => q(v) * q(0.5) + 1 - q(0.5)), 1e-6);
  });

  it('white is exactly 1 in every colour form, so the same drawing reads the same in grey, RGB, RGBA and grey+alpha', () => {
    const paper = drawing.map((v) => 1 - v); // dark ink on white
    const forms = [
      encodePng(30, 40, paper),
      encodePng(30, 40, paper.flatMap((v) => [v, v, v]), { channels: 3 }),
      encodePng(30, 40, paper.flatMap((v) => [v, v, v, 1]), { channels: 4, filter: 4 }),
      encodePng(30, 40, paper.flatMap((v) => [v, v, v, v === 1 ? 0 : 1]), { channels: 4 }), // white made transparent
      encodePng(30, 40, paper.flatMap((v) => [v, 1]), { channels: 2, depth: 16 }),
    ];
    const want = digitOf(decodeImage(forms[0]!));
    for (const f of forms) {
      const img = decodeImage(f);
      expect(Math.min(...img.data.filter((_, i) => paper[i] === 1))).toBe(1);
      expect(Array.from(digitOf(img))).toEqual(Array.from(want));
    }
  });

  it('Adam7 interlacing reads the same pixels as the plain file', () => {
    // Built by hand: each pass's pixels, each row with filter 0.
    const [w, h] = [11, 9];
    const px = Array.from({ length: w * h }, (_, i) => (i * 53) % 256);
    const passes = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]];
    const raw: number[] = [];
    for (const [x0, y0, dx, dy] of passes) {
      for (let y = y0!; y < h; y += dy!) {
        const row: number[] = [];
        for (let x = x0!; x < w; x += dx!) row.push(px[y * w + x]!);
        if (row.length) raw.push(0, ...row);
      }
    }
    const img = decodeImage(pngOf([chunk('IHDR', ihdr(w, h, 8, 0, 1)), chunk('IDAT', deflateSync(Uint8Array.from(raw))), chunk('IEND', new Uint8Array(0))]));
    expectPixels(img.data, px.map((v) => v / 255), 1e-7);
  });
});

describe('PGM', () => {
  it('P5 8-bit, P5 16-bit and P2 text, with a comment in the header', () => {
    expectPixels(decodeImage(encodePgm(W, H, gray)).data, gray, 1e-7);
    expectPixels(decodeImage(encodePgm(W, H, gray, { maxval: 65535 })).data, gray, 1e-4);
    expectPixels(decodeImage(encodePgm(W, H, gray, { text: true, maxval: 15 })).data, gray.map((v) => Math.round(v * 15) / 15), 1e-7);
  });

  it('a comment glued to a number (3#c), anywhere in the header, ends the number there, as Netpbm reads it', () => {
    const pixels = [0, 1, 2, 3, 4, 5];
    const want = pixels.map((v) => v / 5);
    const headers = ['P2\n3#c\n2\n5\n', 'P2 3 2#c\n5\n', 'P2 3 2 5#max 5\n', 'P2#c\n3#c\n#c\n2 #c\n5 '];
    for (const header of headers) {
      const text = new TextEncoder().encode(`${header}${pixels.join(' ')}\n`);
      const image = decodeImage(text, 'c.pgm');
      expect([image.width, image.height], JSON.stringify(header)).toEqual([3, 2]);
      expectPixels(image.data, want, 1e-7);
    }
    // Binary: a comment glued to the maximum value runs to the end of its line, whose break is the whitespace before the pixels.
    const p5 = Uint8Array.from([...new TextEncoder().encode('P5 3 2 5#c\n'), ...pixels]);
    expectPixels(decodeImage(p5, 'b.pgm').data, want, 1e-7);
  });
});

describe('ink', () => {
  it('dark ink on a light page is inverted; light ink on black is kept; on clean paper the faintest ink stays', () => {
    const page = { width: 3, height: 3, data: Float32Array.from([1, 1, 1, 1, 0.2, 1, 1, 1, 1]) };
    expectPixels(toInk(page), [0, 0, 0, 0, 0.8, 0, 0, 0, 0], 1e-7);
    const night = { width: 3, height: 3, data: Float32Array.from([0, 0, 0, 0, 0.7, 0, 0, 0, 0]) };
    expectPixels(toInk(night), Array.from(night.data), 0);
    // A frame of one value is clean paper: the faintest ink, one level of an 8-bit file, is kept.
    const faint = { width: 3, height: 3, data: Float32Array.from([1, 1, 1, 1, 254 / 255, 1, 1, 1, 1]) };
    expectPixels(toInk(faint), [0, 0, 0, 0, 1 - Math.fround(254 / 255), 0, 0, 0, 0], 1e-7);
  });

  // The paper's grain in every form a file brings it: continuous noise of any size down to float32's
  // own steps (paper 0.55 with noise 2e-8 once cropped at a stray pixel one ulp darker), Gaussian
  // grain on a photo-sized page (a fixed 3.4σ threshold let ~1 pixel in 1,500 through), and
  // paper stored in 8 bits with its noise rounded to whole levels, sparse or dense.
  const grains = {
    'uniform ± noise': (r: () => number, noise: number) => (r() * 2 - 1) * noise,
    'Gaussian σ = noise': (r: () => number, noise: number) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()) * noise,
    'one 8-bit level, on one pixel in 20': (r: () => number) => (r() < 0.05 ? (r() < 0.5 ? -1 : 1) / 255 : 0),
  };
  for (const [grain, sample] of Object.entries(grains)) {
    for (const [scale, bits] of [[1, 0], [4, 0], [1, 8], [4, 8]] as const) {
      it(`off-white, grey and noisy paper is cropped like white: the same 20×20 within one level — ${grain}, ${30 * scale}×${40 * scale}${bits ? ', 8-bit' : ''}`, () => {
        const [w, h] = [30 * scale, 40 * scale];
        const big = Array.from({ length: w * h }, (_, i) => drawing[Math.floor(i / w / scale) * 30 + Math.floor((i % w) / scale)]!);
        const white = digitOf({ width: w, height: h, data: Float32Array.from(big, (v) => 1 - v) });
        const noises = fc.oneof(fc.double({ min: 0, max: 0.03, noNaN: true }), fc.double({ min: 0, max: 1e-6, noNaN: true }));
        fc.assert(
          fc.property(fc.double({ min: 0.55, max: 0.99, noNaN: true }), noises, fc.integer({ min: 1, max: 2 ** 31 }), (paper, noise, seed) => {
            let s = seed;
            const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
            const level = (v: number) => (bits ? Math.round(v * 255) / 255 : v);
            // Ink darkens the paper; the paper's grain is under the ink too.
            const data = Float32Array.from(big, (v) => Math.min(1, Math.max(0, level(paper * (1 - v) + sample(rand, noise) * (1 - v)))));
            const got = digitOf({ width: w, height: h, data });
            const far = Array.from(got).filter((v, i) => Math.abs(v - white[i]!) > 0.1 * 255 + 1).length;
            expect(far, `paper ${paper}, noise ${noise}, seed ${seed}`).toBeLessThanOrEqual(8);
            expect(got.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
          }),
          { numRuns: scale === 1 ? 100 : 15, seed: 681359692 },
        );
      });
    }
  }

  it('a blank page — white, off-white, grey with grain, black — is blank; one stroke is not', () => {
    for (const [paper, noise] of [[1, 0], [0.93, 0], [0.8, 0.02], [0, 0], [0.1, 0.01]] as const) {
      const data = Float32Array.from({ length: 900 }, (_, i) => paper + noise * Math.sin(i * 12.9898));
      expect(isBlank(toInk({ width: 30, height: 30, data })), `${paper} ± ${noise}`).toBe(true);
      data[400] = paper > 0.5 ? 0 : 1;
      expect(isBlank(toInk({ width: 30, height: 30, data })), `${paper} with a dot`).toBe(false);
    }
  });
});

/** Decodes `bytes`; the outcome must be an image or an ImageError naming the file, nothing else. */
function outcome(bytes: Uint8Array): 'image' | 'error' {
  try {
    const img = decodeImage(bytes, 'f.png');
    expect(img.data.length).toBe(img.width * img.height);
    expect(img.data.every((v) => v >= 0 && v <= 1)).toBe(true);
    return 'image';
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(ImageError);
    expect((e as Error).message.startsWith('f.png: ')).toBe(true);
    return 'error';
  }
}

describe('hostile files: an ImageError, never anything else', () => {
  const good = encodePng(30, 40, drawing.flatMap((v) => [1 - v, 0.5, v, 1]), { channels: 4, filter: 4 });

  it('every truncation of a PNG and of a PGM', () => {
    for (let n = 0; n < good.length; n++) expect(outcome(good.subarray(0, n)), `${n} bytes`).toBe('error');
    const pgm = encodePgm(30, 40, drawing);
    for (let n = 0; n < pgm.length; n += 7) expect(outcome(pgm.subarray(0, n)), `${n} bytes`).toBe('error');
  });

  it('every single-byte corruption of a PNG: refused, or (an ancillary chunk, or a byte the CRC covers) read', () => {
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const bad = Uint8Array.from(good);
        bad[at]! ^= xor;
        // Every byte of this file is in the signature or a critical chunk: a change is always caught.
        expect(outcome(bad)).toBe('error');
      }),
      { numRuns: 2000, seed: 12 },
    );
  });

  it('a small file whose image data inflates far past its declared size is refused without unpacking it', () => {
    const bomb = pngOf([chunk('IHDR', ihdr(64, 64, 8, 0)), chunk('IDAT', deflateSync(new Uint8Array(64 << 20))), chunk('IEND', new Uint8Array(0))]);
    expect(bomb.length).toBeLessThan(100_000);
    const before = process.memoryUsage().arrayBuffers;
    expect(() => decodeImage(bomb, 'bomb.png')).toThrow(/bomb\.png: PNG image data inflates past the 4,160 bytes a 64 × 64 image needs/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 << 20);
  });

  it('declared sizes past the limit are refused before anything is allocated', () => {
    for (const [w, h] of [[2 ** 31 - 1, 2 ** 31 - 1], [MAX_PIXELS + 1, 1], [4097, 4097], [0, 10]]) {
      const png = pngOf([chunk('IHDR', ihdr(w!, h!, 8, 0)), chunk('IDAT', deflateSync(new Uint8Array(10))), chunk('IEND', new Uint8Array(0))]);
      expect(() => decodeImage(png, 'big.png'), `${w} × ${h}`).toThrow(ImageError);
      expect(() => decodeImage(new TextEncoder().encode(`P5\n${w} ${h}\n255\n`), 'big.pgm'), `${w} × ${h}`).toThrow(ImageError);
    }
  });

  it('palette indices past the palette, invalid depth for a colour type, an unknown critical chunk, a missing IHDR', () => {
    const palette = pngOf([chunk('IHDR', ihdr(2, 1, 8, 3)), chunk('PLTE', Uint8Array.from([0, 0, 0, 255, 255, 255])), chunk('IDAT', deflateSync(Uint8Array.from([0, 1, 7]))), chunk('IEND', new Uint8Array(0))]);
    expect(() => decodeImage(palette, 'p.png')).toThrow('p.png: PNG pixel (1, 0) uses palette index 7, past its 2 colours');
    const rgb4 = pngOf([chunk('IHDR', ihdr(1, 1, 4, 2)), chunk('IDAT', deflateSync(Uint8Array.from([0, 0, 0]))), chunk('IEND', new Uint8Array(0))]);
    expect(() => decodeImage(rgb4, 'd.png')).toThrow('colour type 2 at 4 bits is not valid');
    const unknown = pngOf([chunk('IHDR', ihdr(1, 1, 8, 0)), chunk('XXXX', new Uint8Array(4)), chunk('IDAT', deflateSync(Uint8Array.from([0, 0]))), chunk('IEND', new Uint8Array(0))]);
    expect(() => decodeImage(unknown, 'u.png')).toThrow('critical chunk XXXX');
    expect(() => decodeImage(pngOf([chunk('IEND', new Uint8Array(0))]), 'e.png')).toThrow('does not start with an IHDR');
  });

  it('PGM: a 2 MB token, a value past maxval, a negative or fractional size', () => {
    const token = new Uint8Array(2 << 20).fill(0x39);
    token.set(new TextEncoder().encode('P2\n'));
    expect(() => decodeImage(token, 't.pgm')).toThrow('t.pgm: PGM width is not a number (a token of more than 10 characters)');
    expect(() => decodeImage(new TextEncoder().encode('P2\n2 1\n15\n3 16\n'), 'v.pgm')).toThrow('v.pgm: PGM pixel 1 is 16, past the maximum value 15');
    expect(() => decodeImage(new TextEncoder().encode('P2\n-2 1\n15\n3 1\n'), 'n.pgm')).toThrow('n.pgm: PGM width is "-2", not a whole number');
    expect(() => decodeImage(new TextEncoder().encode('P2\n2.5 1\n15\n3 1\n'), 'f.pgm')).toThrow('f.pgm: PGM width is "2.5", not a whole number');
  });
});
