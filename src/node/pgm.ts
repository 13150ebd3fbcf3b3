// PGM (Netpbm): P5 (binary, 8 or 16 bits, big-endian) and P2 (text), with # comments in the
// header — from a # to the end of its line, wherever it starts, glued to a number (`3#c`) too,
// as Netpbm's own reader takes them. The size is checked before the image is allocated; a token longer than any number
// can be, a value past maxval or data that ends early is an ImageError.

import { type GrayImage, ImageError, checkSize } from './gray-image.js';

const isSpace = (b: number | undefined) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0b || b === 0x0c;

export function decodePgm(bytes: Uint8Array, name: string): GrayImage {
  const binary = bytes[1] === 0x35;
  let at = 2;
  if (!isSpace(bytes[at]) && bytes[at] !== 0x23) throw new ImageError(`${name}: PGM magic number not followed by whitespace`);
  /** The next whitespace-separated token (comments skipped), at most 10 characters. */
  const token = (what: string): number => {
    for (;;) {
      while (isSpace(bytes[at])) at++;
      if (bytes[at] !== 0x23) break;
      while (at < bytes.length && bytes[at] !== 0x0a && bytes[at] !== 0x0d) at++;
    }
    const start = at;
    while (at < bytes.length && !isSpace(bytes[at]) && bytes[at] !== 0x23 && at - start <= 10) at++;
    if (at - start > 10) throw new ImageError(`${name}: PGM ${what} is not a number (a token of more than 10 characters)`);
    let text = '';
    for (let k = start; k < at; k++) text += String.fromCharCode(bytes[k]!);
    if (!/^\d+$/.test(text)) throw new ImageError(`${name}: PGM ${what} is ${text === '' ? 'missing (the file ends early)' : `"${text}", not a whole number`}`);
    return Number(text);
  };
  const width = token('width');
  const height = token('height');
  checkSize(name, 'PGM', width, height);
  const maxval = token('maximum value');
  if (!(maxval >= 1 && maxval <= 65535)) throw new ImageError(`${name}: PGM maximum value ${maxval} is not 1 … 65535`);
  const data = new Float32Array(width * height);
  if (binary) {
    // A comment glued to the maximum value runs to the end of its line, whose line break is then
    // the single whitespace before the pixels.
    if (bytes[at] === 0x23) while (at < bytes.length && bytes[at] !== 0x0a && bytes[at] !== 0x0d) at++;
    if (!isSpace(bytes[at])) throw new ImageError(`${name}: PGM header not followed by whitespace`);
    at++; // the single whitespace after the header
    const wide = maxval > 255;
    if (bytes.length - at < data.length * (wide ? 2 : 1)) throw new ImageError(`${name}: PGM pixel data is truncated`);
    for (let i = 0; i < data.length; i++) {
      const v = wide ? (bytes[at + 2 * i]! << 8) | bytes[at + 2 * i + 1]! : bytes[at + i]!;
      if (v > maxval) throw new ImageError(`${name}: PGM pixel ${i} is ${v}, past the maximum value ${maxval}`);
      data[i] = v / maxval;
    }
  } else {
    for (let i = 0; i < data.length; i++) {
      const v = token(`pixel ${i}`);
      if (v > maxval) throw new ImageError(`${name}: PGM pixel ${i} is ${v}, past the maximum value ${maxval}`);
      data[i] = v / maxval;
    }
  }
  return { width, height, data };
}
