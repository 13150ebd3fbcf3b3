// A CSV file read as a stream: a megabyte at a time, decoded strictly as UTF-8 (a byte that is
// not UTF-8 — a Latin-1 "café" — is an error naming its line, never a guess that could merge two
// classes), each record handed on as soon as it is complete (./csv.ts). Nothing of the text is
// kept: what a command keeps is what its consumer makes of the records (./table.ts), so memory
// is bounded by the numbers read, not by the file.

import { closeSync, openSync, readSync } from 'node:fs';
import { CsvError, CsvParser, CsvTableReader } from './csv.js';
import { checkInput } from './files.js';

const CHUNK = 1 << 20;

/** Index of the first byte of `bytes` that does not belong to a valid UTF-8 sequence (from `from`), or −1. */
export function firstInvalidUtf8(bytes: Uint8Array, from = 0): number {
  let i = from;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const [length, low, high] = b >= 0xc2 && b <= 0xdf ? [2, 0x80, 0xbf] : b === 0xe0 ? [3, 0xa0, 0xbf] : b === 0xed ? [3, 0x80, 0x9f] : b >= 0xe1 && b <= 0xef ? [3, 0x80, 0xbf]
      : b === 0xf0 ? [4, 0x90, 0xbf] : b >= 0xf1 && b <= 0xf3 ? [4, 0x80, 0xbf] : b === 0xf4 ? [4, 0x80, 0x8f] : [0, 0, 0];
    if (length === 0 || i + length > bytes.length) return i;
    if (bytes[i + 1]! < low || bytes[i + 1]! > high) return i;
    for (let k = 2; k < length; k++) if (bytes[i + k]! < 0x80 || bytes[i + k]! > 0xbf) return i;
    i += length;
  }
  return -1;
}

/** Bytes at the end of `bytes` that start a UTF-8 sequence the next chunk completes (0 to 3). */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if (b < 0x80) return 0;
    if (b >= 0xc0) {
      const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return length > back ? back : 0;
    }
  }
  return 0;
}

/** Line breaks (LF, CRLF or a lone CR, as the parser counts them) in `bytes`, given whether the byte before was a CR. */
function lineBreaks(bytes: Uint8Array, afterCr: boolean): { breaks: number; endsInCr: boolean } {
  let breaks = 0;
  if (bytes.indexOf(0x0d) < 0) {
    // No CR (a Unix file): count the LFs with the native search.
    for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, at + 1)) breaks++;
    return { breaks: afterCr && bytes[0] === 0x0a ? breaks - 1 : breaks, endsInCr: false };
  }
  let cr = afterCr;
  for (const b of bytes) {
    if (b === 0x0a) {
      if (!cr) breaks++;
      cr = false;
    } else {
      cr = b === 0x0d;
      if (cr) breaks++;
    }
  }
  return { breaks, endsInCr: cr };
}

/**
 * Reads the CSV file at `path` (named `file` in errors; `flag` names the input in a UsageError)
 * record by record: `onHeader` once (with the file's size in bytes), then `onRecord` for each record; `afterChunk` after each
 * megabyte (a consumer that writes as it goes flushes there). Returns the number of records and
 * the file's size. CsvErrors name the line (and column) at fault.
 */
export async function readCsvFile(
  path: string,
  options: { file: string; flag: string; separator: string; onHeader(header: string[], size: number): void; onRecord(fields: string[], line: number): void; afterChunk?(): Promise<void> },
): Promise<{ records: number; bytes: number }> {
  const size = checkInput(path, options.flag);
  const table = new CsvTableReader(options.file, (header) => options.onHeader(header, size), options.onRecord);
  const parser = new CsvParser(options.file, options.separator, table.add);
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const fd = openSync(path, 'r');
  try {
    const buffer = new Uint8Array(CHUNK + 3);
    let carried = 0;
    let line = 1;
    let afterCr = false;
    let first = true;
    for (;;) {
      const read = readSync(fd, buffer, carried, CHUNK, null);
      const bytes = buffer.subarray(0, carried + read);
      if (first) {
        first = false;
        if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
          throw new CsvError(options.file, 1, undefined, 'the file is UTF-16 (its byte order mark says so): save it as UTF-8');
        }
      }
      const tail = read === 0 ? 0 : incompleteTail(bytes);
      const whole = bytes.subarray(0, bytes.length - tail);
      let text: string;
      try {
        text = decoder.decode(whole);
      } catch {
        const bad = Math.max(0, firstInvalidUtf8(whole));
        const at = line + lineBreaks(whole.subarray(0, bad), afterCr).breaks;
        throw new CsvError(options.file, at, undefined, `byte 0x${whole[bad]!.toString(16).toUpperCase().padStart(2, '0')} is not UTF-8: the file is in another encoding (Latin-1 or Windows-1252?); save it as UTF-8`);
      }
      const counted = lineBreaks(whole, afterCr);
      line += counted.breaks;
      afterCr = counted.endsInCr;
      parser.push(text);
      await options.afterChunk?.();
      if (read === 0) break;
      buffer.copyWithin(0, bytes.length - tail, bytes.length);
      carried = tail;
    }
    parser.end();
    table.finish();
    return { records: table.records, bytes: size };
  } finally {
    closeSync(fd);
  }
}
