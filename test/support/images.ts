// Test-side image writers: PNG (gray or RGBA, 8 or 16 bits, any of the five row filters, so the
// reader's unfiltering is exercised) and PGM (P2, P5), from values in [0, 1].

import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One PNG chunk: length, type, body and a correct CRC. */
export function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  out.set(Array.from(type, (c) => c.charCodeAt(0)), 4);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

/** A PNG of width × height pixels, `channels` values per pixel (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA) in [0, 1]. */
export function encodePng(width: number, height: number, values: ArrayLike<number>, o: { channels?: 1 | 2 | 3 | 4; depth?: 8 | 16; filter?: 0 | 1 | 2 | 3 | 4 } = {}): Uint8Array {
  const channels = o.channels ?? 1;
  const depth = o.depth ?? 8;
  const filter = o.filter ?? 0;
  const colour = { 1: 0, 2: 4, 3: 2, 4: 6 }[channels];
  const bpp = (channels * depth) / 8;
  const stride = width * bpp;
  const rows: Uint8Array[] = [];
  for (let y = 0; y < height; y++) {
    const line = new Uint8Array(stride);
    for (let i = 0; i < width * channels; i++) {
      const v = Math.round(values[y * width * channels + i]! * (2 ** depth - 1));
      if (depth === 8) line[i] = v;
      else [line[2 * i], line[2 * i + 1]] = [v >> 8, v & 0xff];
    }
    rows.push(line);
  }
  const raw = new Uint8Array(height * (stride + 1));
  rows.forEach((line, y) => {
    const up = y > 0 ? rows[y - 1]! : new Uint8Array(stride);
    raw[y * (stride + 1)] = filter;
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? line[i - bpp]! : 0;
      const b = up[i]!;
      const c = i >= bpp ? up[i - bpp]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter]!;
      raw[y * (stride + 1) + 1 + i] = (line[i]! - predictor) & 0xff;
    }
  });
  const header = new Uint8Array(13);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  header.set([depth, colour!, 0, 0, 0], 8);
  const parts = [Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))];
  return Uint8Array.from(parts.flatMap((p) => Array.from(p)));
}

/** A PGM: P5 (binary, 8 bits, or 16 with maxval > 255) or P2 (text), with a comment in the header. */
export function encodePgm(width: number, height: number, values: ArrayLike<number>, o: { text?: boolean; maxval?: number } = {}): Uint8Array {
  const maxval = o.maxval ?? 255;
  const ints = Array.from({ length: width * height }, (_, i) => Math.round(values[i]! * maxval));
  const head = `${o.text ? 'P2' : 'P5'}\n# written by a test\n${width} ${height}\n${maxval}\n`;
  if (o.text) return new TextEncoder().encode(head + ints.join(' ') + '\n');
  const body = maxval > 255 ? ints.flatMap((v) => [v >> 8, v & 0xff]) : ints;
  return Uint8Array.from([...new TextEncoder().encode(head), ...body]);
}

/** A PNG from its chunks, as given (for hand-made and hostile files). */
export function pngOf(chunks: Uint8Array[]): Uint8Array {
  return Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10, ...chunks.flatMap((c) => Array.from(c))]);
}

/** An IHDR body. */
export function ihdr(width: number, height: number, depth: number, colour: number, interlace = 0): Uint8Array {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([depth, colour, 0, 0, interlace], 8);
  return header;
}

export { deflateSync };
