// The PNG reader against ImageMagick's own decoding. The test draws a digit-like stroke, has
// ImageMagick write it in every form a user's tool might — grey at 1, 2, 4, 8 and 16 bits,
// palettes at 2, 4 and 8 bits (with and without transparency), RGB and RGBA at 8 and 16 bits on
// white and on off-white paper, grey+alpha, transparent-colour keys (tRNS), Adam7 interlacing,
// every row filter, gAMA/cHRM/sRGB chunks, a large image — then asks ImageMagick for the pixels
// it decoded (16-bit RGBA) and checks that this reader gives the same grey for every pixel and
// the same 20×20 for the model. ImageMagick must be installed (`apt-get install imagemagick`;
// .ci/run does it); without it the test fails and says so.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { quantize, toDigit } from '../../src/data/downsample.mjs';
import { decodeImage, toInk } from '../../src/node/images.js';
import { encodePgm } from '../support/images.js';

/** ImageMagick's convert: the real binary, not a wrapper that may stand in for it. */
function imagemagick(): string {
  for (const candidate of ['/usr/bin/convert-im6.q16', '/usr/bin/magick', '/usr/local/bin/magick', '/usr/bin/convert']) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('ImageMagick is needed for this test: apt-get install imagemagick (.ci/run installs it)');
}

const convert = imagemagick();
const dir = mkdtempSync(join(tmpdir(), 'wgsl-learn-im-'));
afterAll(() => (process.env.KEEP_IM ? undefined : rmSync(dir, { recursive: true, force: true })));

/** A stroke of a "4"-like digit with soft edges, dark on white, 48 × 64 (16-bit grey). */
const [SW, SH] = [48, 64];
const stroke = Array.from({ length: SW * SH }, (_, i) => {
  const [x, y] = [i % SW, Math.floor(i / SW)];
  const d = Math.min(Math.abs(x - 30), Math.abs(y - 40) + (x > 36 || x < 10 ? 99 : 0), Math.abs(x - 10 - (64 - y) * 0.1) + (y > 40 ? 99 : 0));
  return Math.max(0, Math.min(1, 2 - d / 1.5));
});
const source = join(dir, 'source.pgm');
writeFileSync(source, encodePgm(SW, SH, stroke.map((v) => 1 - v), { maxval: 65535 }));

/** ImageMagick's decoding of `file`: grey over white from its 16-bit RGBA, and the size. */
function reference(file: string): { width: number; height: number; data: Float32Array } {
  const [width, height] = execFileSync(convert, [file, '-format', '%w %h', 'info:']).toString().trim().split(' ').map(Number) as [number, number];
  const raw = execFileSync(convert, [file, '-alpha', 'on', '-depth', '16', '-endian', 'MSB', 'rgba:-'], { maxBuffer: 1 << 30 });
  expect(raw.length).toBe(width * height * 8);
  const data = new Float32Array(width * height);
  for (let i = 0; i < data.length; i++) {
    const [r, g, b, a] = [0, 2, 4, 6].map((k) => raw.readUInt16BE(8 * i + k)) as [number, number, number, number];
    const gray = (299 * r + 587 * g + 114 * b) / (1000 * 65535);
    data[i] = a === 65535 ? gray : (a * gray) / 65535 + (65535 - a) / 65535;
  }
  return { width, height, data };
}

const digitOf = (img: { width: number; height: number; data: Float32Array }) => Array.from(quantize(toDigit(toInk(img), img.width, img.height, 20)));

/** name → ImageMagick options that write the source in that form, and the IHDR (colour type, bit depth, interlace) and chunks the file must then have. */
const FORMS: Record<string, { options: string[]; ihdr: [number, number, number]; chunks?: string[] }> = {
  'grey 1-bit': { options: ['-threshold', '50%', '-define', 'png:color-type=0', '-define', 'png:bit-depth=1'], ihdr: [0, 1, 0] },
  'grey 2-bit': { options: ['-posterize', '4', '-define', 'png:color-type=0', '-define', 'png:bit-depth=2'], ihdr: [0, 2, 0] },
  'grey 4-bit': { options: ['-posterize', '16', '-define', 'png:color-type=0', '-define', 'png:bit-depth=4'], ihdr: [0, 4, 0] },
  'grey 8-bit': { options: ['-depth', '8', '-define', 'png:color-type=0'], ihdr: [0, 8, 0] },
  'grey 16-bit': { options: ['-depth', '16', '-define', 'png:bit-depth=16', '-define', 'png:color-type=0'], ihdr: [0, 16, 0] },
  'grey 8-bit, Adam7': { options: ['-depth', '8', '-define', 'png:color-type=0', '-interlace', 'PNG'], ihdr: [0, 8, 1] },
  'grey 8-bit, no filter': { options: ['-depth', '8', '-define', 'png:color-type=0', '-quality', '90'], ihdr: [0, 8, 0] },
  'grey 8-bit, adaptive filters': { options: ['-depth', '8', '-define', 'png:color-type=0', '-quality', '95'], ihdr: [0, 8, 0] },
  'grey, transparent white (tRNS key)': { options: ['-depth', '8', '-transparent', 'white', '-define', 'png:color-type=0'], ihdr: [0, 8, 0], chunks: ['tRNS'] },
  'palette 2-bit': { options: ['-colors', '4', '-define', 'png:exclude-chunk=bKGD', '-define', 'png:color-type=3', '-define', 'png:bit-depth=2'], ihdr: [3, 2, 0], chunks: ['PLTE'] },
  'palette 4-bit': { options: ['-colors', '16', '-define', 'png:color-type=3', '-define', 'png:bit-depth=4'], ihdr: [3, 4, 0], chunks: ['PLTE'] },
  'palette 8-bit': { options: ['-colors', '200', '-define', 'png:color-type=3', '-define', 'png:bit-depth=8'], ihdr: [3, 8, 0], chunks: ['PLTE'] },
  'palette, transparent paper (PNG8, tRNS)': { options: ['-fuzz', '5%', '-transparent', 'white', '-colors', '16'], ihdr: [3, 8, 0], chunks: ['PLTE', 'tRNS'] },
  'RGB on white': { options: ['+level-colors', 'navy,white', '-depth', '8', '-define', 'png:color-type=2'], ihdr: [2, 8, 0] },
  'RGB on off-white paper': { options: ['+level-colors', '#1a1a40,#f2efe6', '-depth', '8', '-define', 'png:color-type=2'], ihdr: [2, 8, 0] },
  'RGB 16-bit on grey paper': { options: ['+level-colors', '#202020,#c8c8c8', '-depth', '16', '-define', 'png:color-type=2'], ihdr: [2, 16, 0] },
  'RGB, transparent paper colour (tRNS key)': { options: ['+level-colors', 'navy,ivory', '-transparent', 'ivory', '-define', 'png:color-type=2'], ihdr: [2, 16, 0], chunks: ['tRNS'] },
  'RGBA, ink as opacity': { options: ['-negate', '-alpha', 'copy', '-fill', 'black', '-colorize', '100', '-define', 'png:color-type=6'], ihdr: [6, 8, 0] },
  'RGBA 16-bit, Adam7': { options: ['-negate', '-alpha', 'copy', '-fill', '#301010', '-colorize', '100', '-depth', '16', '-define', 'png:bit-depth=16', '-interlace', 'PNG', '-define', 'png:color-type=6'], ihdr: [6, 16, 1] },
  'grey+alpha': { options: ['-negate', '-alpha', 'copy', '-fill', 'black', '-colorize', '100', '-define', 'png:color-type=4'], ihdr: [4, 8, 0] },
  'with gAMA and cHRM chunks': { options: ['-depth', '8', '-define', 'png:include-chunk=gAMA,cHRM', '-set', 'colorspace', 'sRGB', '-define', 'png:color-type=2'], ihdr: [2, 8, 0], chunks: ['gAMA', 'cHRM'] },
  'large (1000 × 1333), RGB': { options: ['-resize', '1000x1333!', '+level-colors', 'black,#fafafa', '-depth', '8', '-define', 'png:color-type=2'], ihdr: [2, 8, 0] },
};

/** The file's IHDR (colour type, bit depth, interlace) and the types of its chunks. */
function form(bytes: Buffer): { ihdr: [number, number, number]; chunks: string[] } {
  const chunks: string[] = [];
  for (let at = 8; at < bytes.length; at += 12 + bytes.readUInt32BE(at)) chunks.push(bytes.toString('latin1', at + 4, at + 8));
  return { ihdr: [bytes[25]!, bytes[24]!, bytes[28]!], chunks };
}

describe('PNG reader = ImageMagick', () => {
  for (const [name, { options, ihdr, chunks }] of Object.entries(FORMS)) {
    it(name, () => {
      const file = join(dir, `${name.replace(/\W+/g, '-')}.png`);
      execFileSync(convert, [source, ...options, `${name.includes('PNG8') ? 'png8' : 'png'}:${file}`]);
      const written = form(readFileSync(file));
      expect(written.ihdr, 'the form ImageMagick wrote').toEqual(ihdr);
      for (const c of chunks ?? []) expect(written.chunks, c).toContain(c);
      const want = reference(file);
      const got = decodeImage(readFileSync(file), file);
      expect([got.width, got.height]).toEqual([want.width, want.height]);
      let worst = 0;
      for (let i = 0; i < want.data.length; i++) worst = Math.max(worst, Math.abs(got.data[i]! - want.data[i]!));
      expect(worst, 'largest difference in grey').toBeLessThanOrEqual(1e-6);
      expect(digitOf(got)).toEqual(digitOf(want));
      expect(digitOf(got).some((v) => v > 0), 'the stroke is found').toBe(true);
    });
  }
});
