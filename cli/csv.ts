// CSV as RFC 4180 writes it, and as spreadsheets export it: a header line, then one record per
// line; fields separated by commas (or tabs for .tsv); a field in double quotes may hold
// commas, line breaks and "" for a quote; CRLF or LF line ends; a UTF-8 byte order mark and
// blank lines are skipped (in a one-column file only at the end: there a blank line inside is
// an empty value, never a record silently dropped). Anything else — a record with too few or too many fields, a quote
// inside an unquoted field, a quoted field never closed — is a CsvError naming the line and the
// column, and nothing is returned. The parser takes the text in pieces of any size (a file is
// read a megabyte at a time: ./csv-file.ts) and hands on each record as it completes.

import { show } from '../src/show.js';

export class CsvError extends Error {
  override name = 'CsvError';
  constructor(
    readonly file: string,
    /** 1-based line of the file where the problem is. */
    readonly line: number,
    /** 1-based field number, when the problem is in one field. */
    readonly column: number | undefined,
    readonly problem: string,
    columnName?: string,
  ) {
    super(`${file}: line ${line}${column === undefined ? '' : `, column ${column}${columnName ? ` (${columnName})` : ''}`}: ${problem}`);
  }
}

export interface CsvTable {
  header: string[];
  /** The records' fields, as text. */
  rows: string[][];
  /** The file's line each record starts on. */
  lines: number[];
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * The records of CSV text given in pieces of any size (a file read a chunk at a time): push()
 * each piece, then end(). Each record goes to `onRecord` with the line it starts on, as soon as
 * it is complete; nothing else of the text is kept. Errors are CsvErrors at their line and column.
 */
export class CsvParser {
  private fields: string[] = [];
  private field = '';
  /** In a quoted field (`quoted`), and just after a quote inside one (`quote`: a "" or its end). */
  private quoted = false;
  private quote = false;
  /** Just after a closing quote: the field must end here. */
  private closed = false;
  /** Just after a CR that ended a record: a LF next belongs to it. */
  private cr = false;
  /** A quoted field's text ended a piece with a CR: one line break, whether or not a LF follows. */
  private crQuoted = false;
  private line = 1;
  private start = 1;
  private openedAt = 1;
  private first = true;
  private readonly sep: number;

  constructor(
    private readonly file: string,
    separator: string,
    private readonly onRecord: (fields: string[], line: number) => void,
  ) {
    this.sep = separator.charCodeAt(0);
  }

  push(text: string): void {
    let i = 0;
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    const n = text.length;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (this.cr) {
        this.cr = false;
        if (c === LF) {
          i++;
          continue;
        }
      }
      if (this.quoted) {
        if (this.quote) {
          this.quote = false;
          if (c === QUOTE) {
            this.field += '"';
            i++;
            continue;
          }
          this.quoted = false;
          this.closed = true;
          continue; // the character after the closing quote, looked at below
        }
        let j = i;
        if (this.crQuoted && text.charCodeAt(j) !== LF) this.line++; // a lone CR at the end of the last piece
        this.crQuoted = false;
        while (j < n && text.charCodeAt(j) !== QUOTE) {
          const d = text.charCodeAt(j);
          if (d === LF) this.line++;
          else if (d === CR && j + 1 === n) this.crQuoted = true; // its LF, if any, is in the next piece
          else if (d === CR && text.charCodeAt(j + 1) !== LF) this.line++;
          j++;
        }
        this.field += text.slice(i, j);
        if (j < n) this.quote = true;
        i = j + 1;
        continue;
      }
      if (this.closed && c !== this.sep && c !== LF && c !== CR) {
        throw new CsvError(this.file, this.line, this.fields.length + 1, `text after a closing quote (${show(text.slice(i, i + 10), 10)})`);
      }
      this.closed = false;
      if (c === this.sep) {
        this.fields.push(this.field);
        this.field = '';
        i++;
      } else if (c === LF || c === CR) {
        this.endRecord();
        this.line++;
        this.start = this.line;
        this.cr = c === CR;
        i++;
      } else if (c === QUOTE) {
        if (this.field !== '') throw new CsvError(this.file, this.line, this.fields.length + 1, 'a " inside an unquoted field (quote the whole field and write "" for a quote)');
        this.quoted = true;
        this.openedAt = this.line;
        i++;
      } else {
        let j = i + 1;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d === this.sep || d === LF || d === CR || d === QUOTE) break;
          j++;
        }
        this.field += text.slice(i, j);
        i = j;
      }
    }
  }

  end(): void {
    if (this.quoted && !this.quote) throw new CsvError(this.file, this.openedAt, this.fields.length + 1, 'a quoted field is never closed (a " is missing)');
    if (this.field !== '' || this.fields.length > 0 || this.quote || this.closed) this.endRecord();
    this.quoted = this.quote = this.closed = false;
  }

  private endRecord(): void {
    this.fields.push(this.field);
    this.onRecord(this.fields, this.start);
    this.fields = [];
    this.field = '';
  }
}

/**
 * A table's records as they come: the header first (the first record that is not blank), then
 * each data record, checked to have the header's fields. Blank records are skipped — in a
 * one-column file only at the end, where inside the table a blank line is an empty value.
 */
export class CsvTableReader {
  header: string[] | undefined;
  private headerLine = 0;
  /** Blank records seen since the last record, held until a record shows they were inside the table. */
  private blanks: number[] = [];
  records = 0;

  constructor(
    private readonly file: string,
    /** Called once with the header, before any record. */
    private readonly onHeader: (header: string[], line: number) => void,
    private readonly onRecord: (fields: string[], line: number) => void,
  ) {}

  /** The parser's callback. */
  readonly add = (fields: string[], line: number): void => {
    const blank = fields.length === 1 && fields[0] === '';
    if (!this.header) {
      if (!blank) this.readHeader(fields, line);
      return;
    }
    if (blank) {
      if (this.header.length === 1) this.blanks.push(line);
      return;
    }
    if (this.blanks.length > 0) for (const at of this.blanks.splice(0)) this.record([''], at);
    this.record(fields, line);
  };

  private readHeader(fields: string[], line: number): void {
    const header = fields.map((h) => h.trim());
    const seen = new Map<string, number>();
    header.forEach((name, c) => {
      if (name === '') throw new CsvError(this.file, line, c + 1, 'a column of the header has no name');
      const first = seen.get(name);
      if (first !== undefined) throw new CsvError(this.file, line, c + 1, `the column name ${show(name)} appears twice (also column ${first + 1})`);
      seen.set(name, c);
    });
    this.header = header;
    this.headerLine = line;
    this.onHeader(header, line);
  }

  private record(fields: string[], line: number): void {
    const want = this.header!.length;
    if (fields.length !== want) throw new CsvError(this.file, line, undefined, `${fields.length} fields, the header has ${want} (${fields.length > want ? 'a value holds a comma? quote it' : 'a value is missing'})`);
    this.records++;
    this.onRecord(fields, line);
  }

  /** After the last record: the table had a header and at least one record. */
  finish(): void {
    if (!this.header) throw new CsvError(this.file, 1, undefined, 'the file is empty: expected a header line naming the columns');
    if (this.records === 0) throw new CsvError(this.file, this.headerLine + 1, undefined, 'no data: the file has a header and no records');
  }
}

/** Parses CSV text held whole (small tables, tests); `file` names it in errors. Files are read with readCsvFile (./csv-file.ts). */
export function parseCsv(text: string, file: string, separator = ','): CsvTable {
  const rows: string[][] = [];
  const lines: number[] = [];
  let header: string[] = [];
  const table = new CsvTableReader(file, (h) => (header = h), (fields, line) => {
    rows.push(fields);
    lines.push(line);
  });
  const parser = new CsvParser(file, separator, table.add);
  parser.push(text);
  parser.end();
  table.finish();
  return { header, rows, lines };
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * Whether `t` is a plain decimal number — [+-] digits [. digits] [e [+-] digits], a digit
 * before or after the point — scanned by hand: this runs once per value of every file read,
 * several times faster than the equivalent /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.
 */
function isDecimal(t: string): boolean {
  const n = t.length;
  let i = 0;
  let c = t.charCodeAt(0);
  if (c === 0x2b || c === 0x2d) c = t.charCodeAt(++i);
  let digits = 0;
  while (isDigit(c)) {
    digits++;
    c = t.charCodeAt(++i);
  }
  if (c === 0x2e) {
    c = t.charCodeAt(++i);
    while (isDigit(c)) {
      digits++;
      c = t.charCodeAt(++i);
    }
  }
  if (digits === 0) return false;
  if (c === 0x65 || c === 0x45) {
    c = t.charCodeAt(++i);
    if (c === 0x2b || c === 0x2d) c = t.charCodeAt(++i);
    if (!isDigit(c)) return false;
    while (isDigit(c)) c = t.charCodeAt(++i);
  }
  return i === n;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c || c === 0xa0 || c === 0xfeff || (c >= 0x2000 && c <= 0x200a) || c === 0x1680 || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;

/**
 * A field as a number, or undefined when it is not one: only decimal numbers (no hex, no
 * Infinity or NaN, no empty field) that stay finite in float32, which the GPU computes in.
 */
export function parseNumber(text: string): number | undefined {
  const t = isSpace(text.charCodeAt(0)) || isSpace(text.charCodeAt(text.length - 1)) ? text.trim() : text;
  if (!isDecimal(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(Math.fround(v)) ? v : undefined;
}

/** Why `text` is not a number parseNumber takes (only asked for a field it refused). */
export function numberProblem(text: string): string {
  const t = text.trim();
  if (t === '') return 'is empty (missing values are not supported: fill it in or remove the record)';
  if (!isDecimal(t)) return `is ${show(text)}, not a number`;
  return `is ${t.length <= 40 ? t : show(t)}, beyond float32's range (±3.4e38) that the GPU computes in`;
}

/** A field as a number, or the reason it is not one (parseNumber and numberProblem in one). */
export function readNumber(text: string): number | string {
  return parseNumber(text) ?? numberProblem(text);
}

/** One CSV line of `fields`, quoted where RFC 4180 needs it (a separator, a quote, a line break, edge spaces). */
export function toCsvLine(fields: readonly string[], separator = ','): string {
  return fields.map((f) => (f.includes(separator) || /["\r\n]|^\s|\s$/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(separator);
}
