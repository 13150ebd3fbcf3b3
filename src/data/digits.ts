// The 20×20 digit set that scripts/digits.mjs builds from the `mnist` package: parsing its
// compact file into examples the models take. Pixels are scaled to [0, 1]; the split is the
// file's (8,000 training digits first, then 2,000 test digits).

import { ArgumentError } from '../gpu/errors.js';

export interface DigitSet {
  /** Row-major, one digit per row of 400 pixels in [0, 1]. */
  x: { rows: number; cols: number; data: Float32Array };
  /** The digit, 0 … 9, of each row. */
  y: Uint8Array;
}

export interface Digits {
  train: DigitSet;
  test: DigitSet;
  /** Pixels per side (20). */
  side: number;
  /** How the file was made (script version, mnist version, seed). */
  fingerprint: string;
}

/** Bytes as the characters of the same codes (a short header field). */
function latin1(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return text;
}

/** Parses digits-20x20.bin (layout in scripts/digits.mjs). */
export function parseDigits(bytes: ArrayBuffer | Uint8Array): Digits {
  if (!(bytes instanceof Uint8Array) && !(bytes instanceof ArrayBuffer)) throw new ArgumentError('bytes', 'must be an ArrayBuffer or Uint8Array (the digit file)');
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (u8.length < 80) throw new ArgumentError('bytes', `holds ${u8.length} bytes, less than the digit file's 80-byte header; run \`npm run digits\``);
  const view = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  const magic = latin1(u8.subarray(0, 4));
  if (magic !== 'WLD1') throw new ArgumentError('bytes', `is not a wgsl-learn digit file (magic "${magic}"); run \`npm run digits\``);
  const count = view.getUint32(4, true);
  const trainCount = view.getUint32(8, true);
  const side = view.getUint32(12, true);
  const pixels = side * side;
  if (u8.length !== 80 + count * pixels + count || trainCount > count) throw new ArgumentError('bytes', 'the digit file is truncated or inconsistent; run `npm run digits`');
  const fingerprint = latin1(u8.subarray(16, 80)).replace(/\0+$/, '');
  const part = (from: number, to: number): DigitSet => {
    const rows = to - from;
    const data = new Float32Array(rows * pixels);
    for (let i = 0; i < rows * pixels; i++) data[i] = u8[80 + from * pixels + i]! / 255;
    return { x: { rows, cols: pixels, data }, y: u8.slice(80 + count * pixels + from, 80 + count * pixels + to) };
  };
  return { train: part(0, trainCount), test: part(trainCount, count), side, fingerprint };
}
