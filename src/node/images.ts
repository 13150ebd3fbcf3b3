// Node only: reads PNG and PGM images as grayscale, for the command-line predictor. PNG: any
// bit depth and colour type (gray, RGB, palette, with alpha composited over white), not
// interlaced; PGM: P2 (text) and P5 (binary, 8 or 16 bits). Values in [0, 1], 0 = black.

import { inflateSync } from 'node:zlib';

export interface GrayImage {
  width: number;
  height: number;
  /** Row-major, 0 = black, 1 = white. */
  data: Float64Array;
}

/** An image file that cannot be read: the message says what is wrong with it. */
export class ImageError extends Error {
  override name = 'ImageError';
}

const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

export function decodeImage(bytes: Uint8Array, name = 'image'): GrayImage {
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return decodePng(bytes, name);
  if (bytes[0] === 0x50 && (bytes[1] === 0x32 || bytes[1] === 0x35)) return decodePgm(bytes, name);
  throw new ImageError(`${name}: not a PNG or PGM (P2/P5) image`);
}

interface PngChunks {
  header: { width: number; height: number; depth: number; colour: number; interlace: number } | undefined;
  palette: Uint8Array | undefined;
  transparency: Uint8Array | undefined;
  idat: Uint8Array[];
}

/** The chunks a decoder needs, up to IEND; a chunk that runs past the end is an error. */
function readPngChunks(bytes: Uint8Array, name: string): PngChunks {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: PngChunks = { header: undefined, palette: undefined, transparency: undefined, idat: [] };
  let at = 8;
  while (at + 8 <= bytes.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (body.length !== length) throw new ImageError(`${name}: PNG truncated in its ${type} chunk`);
    if (type === 'IHDR') {
      chunks.header = { width: view.getUint32(at + 8), height: view.getUint32(at + 12), depth: body[8]!, colour: body[9]!, interlace: body[12]! };
    } else if (type === 'PLTE') chunks.palette = body;
    else if (type === 'tRNS') chunks.transparency = body;
    else if (type === 'IDAT') chunks.idat.push(body);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  return chunks;
}

/** The scanlines with PNG's per-row filters undone: height rows of `stride` bytes. */
function unfilter(raw: Uint8Array, height: number, stride: number, bpp: number, name: string): Uint8Array {
  const rows = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = rows.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? rows.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? out[i - bpp]! : 0;
      const b = up[i]!;
      const c = i >= bpp ? up[i - bpp]! : 0;
      let v = line[i]!;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) throw new ImageError(`${name}: PNG row ${y} has unknown filter ${filter}`);
      out[i] = v & 0xff;
    }
  }
  return rows;
}

function decodePng(bytes: Uint8Array, name: string): GrayImage {
  const { header, palette, transparency, idat } = readPngChunks(bytes, name);
  if (!header) throw new ImageError(`${name}: PNG without an IHDR chunk`);
  const { width, height, depth, colour, interlace } = header;
  if (interlace !== 0) throw new ImageError(`${name}: interlaced PNGs are not supported; save it without interlacing`);
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[colour];
  if (!channels || ![1, 2, 4, 8, 16].includes(depth)) throw new ImageError(`${name}: PNG colour type ${colour} at ${depth} bits is not valid`);
  if (width < 1 || height < 1 || width * height > 64e6) throw new ImageError(`${name}: PNG of ${width} × ${height} pixels is out of range`);
  if (colour === 3 && !palette) throw new ImageError(`${name}: palette PNG without a PLTE chunk`);
  let raw: Uint8Array;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch {
    throw new ImageError(`${name}: PNG image data does not inflate`);
  }
  const bitsPerPixel = channels * depth;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const bpp = Math.max(1, bitsPerPixel / 8); // bytes per pixel for the filters
  if (raw.length < height * (stride + 1)) throw new ImageError(`${name}: PNG image data is truncated`);
  const rows = unfilter(raw, height, stride, bpp, name);
  const max = 2 ** depth - 1;
  const sample = (y: number, index: number): number => {
    // The index-th sample of row y, scaled to [0, 1] (palette indices left as integers).
    const row = y * stride;
    if (depth === 8) return rows[row + index]! / (colour === 3 ? 1 : max);
    if (depth === 16) return ((rows[row + 2 * index]! << 8) | rows[row + 2 * index + 1]!) / max;
    const bit = index * depth;
    const v = (rows[row + (bit >> 3)]! >> (8 - depth - (bit & 7))) & max;
    return colour === 3 ? v : v / max;
  };
  const data = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let gray: number;
      let alpha = 1;
      if (colour === 3) {
        const i = sample(y, x);
        const [r, g, b] = [palette![3 * i]!, palette![3 * i + 1]!, palette![3 * i + 2]!];
        gray = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
        if (transparency && i < transparency.length) alpha = transparency[i]! / 255;
      } else if (channels >= 3) {
        gray = 0.299 * sample(y, x * channels) + 0.587 * sample(y, x * channels + 1) + 0.114 * sample(y, x * channels + 2);
        if (channels === 4) alpha = sample(y, x * 4 + 3);
      } else {
        gray = sample(y, x * channels);
        if (channels === 2) alpha = sample(y, x * 2 + 1);
      }
      data[y * width + x] = alpha * gray + (1 - alpha); // over white
    }
  }
  return { width, height, data };
}

function decodePgm(bytes: Uint8Array, name: string): GrayImage {
  const binary = bytes[1] === 0x35;
  let at = 2;
  const token = (): string => {
    for (;;) {
      while (at < bytes.length && /\s/.test(String.fromCharCode(bytes[at]!))) at++;
      if (bytes[at] === 0x23) while (at < bytes.length && bytes[at] !== 0x0a) at++;
      else break;
    }
    const start = at;
    while (at < bytes.length && !/\s/.test(String.fromCharCode(bytes[at]!))) at++;
    return String.fromCharCode(...bytes.subarray(start, at));
  };
  const [width, height, maxval] = [Number(token()), Number(token()), Number(token())];
  if (!(Number.isInteger(width) && width >= 1 && Number.isInteger(height) && height >= 1 && width * height <= 64e6)) throw new ImageError(`${name}: PGM size ${width} × ${height} is not valid`);
  if (!(Number.isInteger(maxval) && maxval >= 1 && maxval <= 65535)) throw new ImageError(`${name}: PGM maximum value ${maxval} is not valid`);
  const data = new Float64Array(width * height);
  if (binary) {
    at++; // the single whitespace after the header
    const wide = maxval > 255;
    if (bytes.length - at < data.length * (wide ? 2 : 1)) throw new ImageError(`${name}: PGM pixel data is truncated`);
    for (let i = 0; i < data.length; i++) data[i] = (wide ? (bytes[at + 2 * i]! << 8) | bytes[at + 2 * i + 1]! : bytes[at + i]!) / maxval;
  } else {
    for (let i = 0; i < data.length; i++) {
      const v = Number(token());
      if (!(Number.isInteger(v) && v >= 0 && v <= maxval)) throw new ImageError(`${name}: PGM pixel ${i} is "${v}", not 0 … ${maxval}`);
      data[i] = v / maxval;
    }
  }
  return { width, height, data };
}

/**
 * The image as ink in [0, 1] on a black background (the digits' convention): inverted when
 * its border is mostly light, i.e. dark ink on paper.
 */
export function toInk(image: GrayImage): Float64Array {
  const { width: w, height: h, data } = image;
  let sum = 0;
  let n = 0;
  for (let x = 0; x < w; x++) {
    sum += data[x]! + data[(h - 1) * w + x]!;
    n += 2;
  }
  for (let y = 0; y < h; y++) {
    sum += data[y * w]! + data[y * w + w - 1]!;
    n += 2;
  }
  return sum / n > 0.5 ? data.map((v) => 1 - v) : Float64Array.from(data);
}
