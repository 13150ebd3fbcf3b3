// PNG as the specification (W3C, third edition) defines it: every colour type at every bit
// depth it allows, Adam7 interlacing, palettes, transparency (tRNS: a palette's alphas, or the
// one grey or RGB colour that is transparent), alpha composited over white, and grey from RGB as
// 0.299 R + 0.587 G + 0.114 B computed on the integer samples (so white is exactly 1). A reader
// that trusts nothing: chunk lengths and CRCs are checked (a corrupted critical chunk is an
// error; a corrupted ancillary one is skipped, as libpng does), the declared size is checked
// before anything is allocated, and the image data is inflated with its output capped at what
// that size needs — a small file that inflates to gigabytes is refused after the cap, not
// unpacked. gAMA, sRGB and iCCP are ignored: samples are read as stored.

import { inflateSync } from 'node:zlib';
import { type GrayImage, ImageError, checkSize } from './gray-image.js';

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
/** Channels of each colour type, and the bit depths the specification allows it. */
const COLOUR_TYPES: Record<number, { channels: number; depths: readonly number[] }> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16] },
  2: { channels: 3, depths: [8, 16] },
  3: { channels: 1, depths: [1, 2, 4, 8] },
  4: { channels: 2, depths: [8, 16] },
  6: { channels: 4, depths: [8, 16] },
};
/** Adam7's passes: x start, y start, x step, y step. */
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const;

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function isPng(bytes: Uint8Array): boolean {
  return SIGNATURE.every((b, i) => bytes[i] === b);
}

interface Header {
  width: number;
  height: number;
  depth: number;
  colour: number;
  interlace: number;
}

interface Chunks {
  header: Header;
  palette: Uint8Array | undefined;
  transparency: Uint8Array | undefined;
  data: Uint8Array[];
}

function readHeader(body: Uint8Array, name: string): Header {
  if (body.length !== 13) throw new ImageError(`${name}: PNG IHDR chunk is ${body.length} bytes, not 13`);
  const view = new DataView(body.buffer, body.byteOffset, 13);
  const header = { width: view.getUint32(0), height: view.getUint32(4), depth: body[8]!, colour: body[9]!, interlace: body[12]! };
  const type = COLOUR_TYPES[header.colour];
  if (!type || !type.depths.includes(header.depth)) throw new ImageError(`${name}: PNG colour type ${header.colour} at ${header.depth} bits is not valid`);
  if (body[10] !== 0 || body[11] !== 0 || header.interlace > 1) throw new ImageError(`${name}: PNG compression, filter or interlace method is not one the specification defines`);
  checkSize(name, 'PNG', header.width, header.height);
  return header;
}

/** The chunks a decoder needs, checked, from IHDR to IEND. */
function readChunks(bytes: Uint8Array, name: string): Chunks {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: Header | undefined;
  let palette: Uint8Array | undefined;
  let transparency: Uint8Array | undefined;
  const data: Uint8Array[] = [];
  for (let at = 8; ; ) {
    if (at + 12 > bytes.length) throw new ImageError(`${name}: PNG truncated: it ends ${header ? 'before its IEND chunk' : 'inside its header'}`);
    const length = view.getUint32(at);
    const type = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
    if (!/^[A-Za-z]{4}$/.test(type)) throw new ImageError(`${name}: PNG chunk at byte ${at} has no valid type (corrupted)`);
    if (length > bytes.length - at - 12) throw new ImageError(`${name}: PNG truncated in its ${type} chunk`);
    const body = bytes.subarray(at + 8, at + 8 + length);
    const critical = type.charCodeAt(0) < 0x61;
    at += 12 + length;
    if (crc32(bytes.subarray(at - 8 - length, at - 4)) !== view.getUint32(at - 4)) {
      if (critical) throw new ImageError(`${name}: PNG ${type} chunk fails its CRC check (corrupted)`);
      continue;
    }
    if (!header && type !== 'IHDR') throw new ImageError(`${name}: PNG does not start with an IHDR chunk`);
    if (type === 'IHDR') {
      if (header) throw new ImageError(`${name}: PNG has two IHDR chunks`);
      header = readHeader(body, name);
    } else if (type === 'PLTE') {
      if (length === 0 || length % 3 !== 0 || length > 768 || data.length > 0) throw new ImageError(`${name}: PNG PLTE chunk is not 1 … 256 colours before the image data`);
      palette = body;
    } else if (type === 'tRNS') {
      transparency = body;
    } else if (type === 'IDAT') {
      data.push(body);
    } else if (type === 'IEND') {
      return { header: header!, palette, transparency, data };
    } else if (critical) {
      throw new ImageError(`${name}: PNG has a critical chunk ${type} this reader does not know`);
    }
  }
}

/** Each pass's (x0, y0, dx, dy, width, height) for the image's interlace method; empty passes left out. */
function passes(h: Header): { x0: number; y0: number; dx: number; dy: number; w: number; h: number }[] {
  const all = h.interlace === 0 ? [[0, 0, 1, 1] as const] : ADAM7;
  return all
    .map(([x0, y0, dx, dy]) => ({ x0, y0, dx, dy, w: Math.ceil((h.width - x0) / dx), h: Math.ceil((h.height - y0) / dy) }))
    .filter((p) => p.w > 0 && p.h > 0);
}

/** Undoes PNG's row filters in place: row y's bytes end up at raw[start + y·(stride + 1) + 1 …]. */
function unfilter(raw: Uint8Array, start: number, rows: number, stride: number, bpp: number, name: string): void {
  for (let y = 0; y < rows; y++) {
    const at = start + y * (stride + 1);
    const filter = raw[at]!;
    if (filter > 4) throw new ImageError(`${name}: PNG row ${y} has unknown filter ${filter}`);
    const up = at - stride - 1; // the previous row's filter byte
    for (let i = 1; i <= stride; i++) {
      const a = i > bpp ? raw[at + i - bpp]! : 0;
      const b = y > 0 ? raw[up + i]! : 0;
      const c = i > bpp && y > 0 ? raw[up + i - bpp]! : 0;
      let p = 0;
      if (filter === 1) p = a;
      else if (filter === 2) p = b;
      else if (filter === 3) p = (a + b) >> 1;
      else if (filter === 4) {
        const e = a + b - c;
        const [pa, pb, pc] = [Math.abs(e - a), Math.abs(e - b), Math.abs(e - c)];
        p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      raw[at + i] = (raw[at + i]! + p) & 0xff;
    }
  }
}

/** Grey over white of one pixel from its integer samples `s` (max = 2^depth − 1). */
type PixelToGray = (s: readonly number[], x: number, y: number) => number;

function pixelToGray(c: Chunks, name: string): PixelToGray {
  const { colour, depth } = c.header;
  const max = 2 ** depth - 1;
  const t = c.transparency;
  const key = t && (colour === 0 && t.length >= 2 ? [(t[0]! << 8) | t[1]!] : colour === 2 && t.length >= 6 ? [0, 2, 4].map((i) => (t[i]! << 8) | t[i + 1]!) : undefined);
  const lum = (r: number, g: number, b: number, m: number) => (299 * r + 587 * g + 114 * b) / (1000 * m);
  const over = (gray: number, alpha: number, m: number) => (alpha === m ? gray : (alpha * gray) / m + (m - alpha) / m);
  if (colour === 3) {
    const p = c.palette;
    if (!p) throw new ImageError(`${name}: palette PNG without a PLTE chunk`);
    const entries = p.length / 3;
    return ([i], x, y) => {
      if (i! >= entries) throw new ImageError(`${name}: PNG pixel (${x}, ${y}) uses palette index ${i}, past its ${entries} colours`);
      const gray = lum(p[3 * i!]!, p[3 * i! + 1]!, p[3 * i! + 2]!, 255);
      return t && i! < t.length ? over(gray, t[i!]!, 255) : gray;
    };
  }
  if (colour === 0) return ([v]) => (key && v === key[0] ? 1 : v! / max);
  if (colour === 2) return ([r, g, b]) => (key && r === key[0] && g === key[1] && b === key[2] ? 1 : lum(r!, g!, b!, max));
  if (colour === 4) return ([v, a]) => over(v! / max, a!, max);
  return ([r, g, b, a]) => over(lum(r!, g!, b!, max), a!, max);
}

export function decodePng(bytes: Uint8Array, name: string): GrayImage {
  const chunks = readChunks(bytes, name);
  const { header } = chunks;
  const { width, height, depth, colour } = header;
  const channels = COLOUR_TYPES[colour]!.channels;
  const bits = channels * depth;
  const bpp = Math.max(1, bits >> 3);
  const layout = passes(header).map((p) => ({ ...p, stride: Math.ceil((p.w * bits) / 8) }));
  const expected = layout.reduce((s, p) => s + p.h * (p.stride + 1), 0);
  const toGray = pixelToGray(chunks, name);
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(chunks.data), { maxOutputLength: expected });
  } catch (e) {
    const tooLarge = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError;
    throw new ImageError(`${name}: PNG image data ${tooLarge ? `inflates past the ${expected.toLocaleString('en')} bytes a ${width} × ${height} image needs` : 'does not inflate (corrupted)'}`);
  }
  if (raw.length < expected) throw new ImageError(`${name}: PNG image data is truncated (${raw.length} of ${expected} bytes)`);
  const data = new Float32Array(width * height);
  const max = 2 ** depth - 1;
  const samples = new Array<number>(channels);
  let start = 0;
  for (const p of layout) {
    unfilter(raw, start, p.h, p.stride, bpp, name);
    for (let py = 0; py < p.h; py++) {
      const row = start + py * (p.stride + 1) + 1;
      for (let px = 0; px < p.w; px++) {
        for (let k = 0; k < channels; k++) {
          const index = px * channels + k;
          if (depth === 8) samples[k] = raw[row + index]!;
          else if (depth === 16) samples[k] = (raw[row + 2 * index]! << 8) | raw[row + 2 * index + 1]!;
          else samples[k] = (raw[row + ((index * depth) >> 3)]! >> (8 - depth - ((index * depth) & 7))) & max;
        }
        const x = p.x0 + px * p.dx;
        const y = p.y0 + py * p.dy;
        data[y * width + x] = toGray(samples, x, y);
      }
    }
    start += p.h * (p.stride + 1);
  }
  return { width, height, data };
}
