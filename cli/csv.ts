// CSV as RFC 4180 writes it, and as spreadsheets export it: a header line, then one record per
// line; fields separated by commas (or tabs for .tsv); a field in double quotes may hold
// commas, line breaks and "" for a quote; CRLF or LF line ends; a UTF-8 byte order mark and
// blank lines are skipped (in a one-column file only at the end: there a blank line inside is
// an empty value, never a record silently dropped). Anything else — a record with too few or too many fields, a quote
// inside an unquoted field, a quoted field never closed — is a CsvError naming the line and the
// column, and nothing is returned.

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

/** The fields of each record of `text`, with the line each starts on. */
function records(text: string, file: string, separator: string): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    fields.push(field);
    out.push({ fields, line: start });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' && field === '') {
      const open = line;
      const column = fields.length + 1;
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) throw new CsvError(file, open, column, 'a quoted field is never closed (a " is missing)');
        field += text.slice(j, q);
        j = q + 1;
        if (text[j] !== '"') break;
        field += '"';
        j++;
      }
      for (let k = i + 1; k < j; k++) if (text[k] === '\n' || (text[k] === '\r' && text[k + 1] !== '\n')) line++;
      i = j;
      const next = text[i];
      if (next !== undefined && next !== separator && next !== '\n' && next !== '\r') throw new CsvError(file, line, column, `text after a closing quote (${JSON.stringify(text.slice(i, i + 10))})`);
      continue;
    }
    if (c === separator) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      endRecord();
      if (c === '\r' && text[i + 1] === '\n') i++;
      line++;
      start = line;
    } else if (c === '"') {
      throw new CsvError(file, line, fields.length + 1, 'a " inside an unquoted field (quote the whole field and write "" for a quote)');
    } else {
      field += c;
    }
    i++;
  }
  if (field !== '' || fields.length > 0) endRecord();
  return out;
}

/** Parses CSV text; `file` names it in errors. */
export function parseCsv(text: string, file: string, separator = ','): CsvTable {
  const blank = (r: { fields: string[] }) => r.fields.length === 1 && r.fields[0] === '';
  let all = records(text, file, separator);
  while (all.length > 0 && blank(all[all.length - 1]!)) all.pop();
  const first = all.findIndex((r) => !blank(r));
  all = first < 0 ? [] : all.slice(first);
  if (all[0] && all[0].fields.length > 1) all = all.filter((r) => !blank(r));
  if (all.length === 0) throw new CsvError(file, 1, undefined, 'the file is empty: expected a header line naming the columns');
  const [head, ...body] = all;
  const header = head!.fields.map((h) => h.trim());
  header.forEach((name, c) => {
    if (name === '') throw new CsvError(file, head!.line, c + 1, 'a column of the header has no name');
    const first = header.indexOf(name);
    if (first !== c) throw new CsvError(file, head!.line, c + 1, `the column name "${name}" appears twice (also column ${first + 1})`);
  });
  for (const r of body) {
    if (r.fields.length !== header.length) {
      throw new CsvError(file, r.line, undefined, `${r.fields.length} fields, the header has ${header.length} (${r.fields.length > header.length ? 'a value holds a comma? quote it' : 'a value is missing'})`);
    }
  }
  if (body.length === 0) throw new CsvError(file, head!.line + 1, undefined, 'no data: the file has a header and no records');
  return { header, rows: body.map((r) => r.fields), lines: body.map((r) => r.line) };
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A field as a number, or the reason it is not one: only decimal numbers (no hex, no
 * Infinity or NaN, no empty field) that stay finite in float32, which the GPU computes in.
 */
export function readNumber(text: string): number | string {
  const t = text.trim();
  if (t === '') return 'is empty (missing values are not supported: fill it in or remove the record)';
  if (!NUMBER.test(t)) return `is ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)}, not a number`;
  const v = Number(t);
  if (!Number.isFinite(Math.fround(v))) return `is ${t}, beyond float32's range (±3.4e38) that the GPU computes in`;
  return v;
}

/** One CSV line of `fields`, quoted where RFC 4180 needs it (a separator, a quote, a line break, edge spaces). */
export function toCsvLine(fields: readonly string[], separator = ','): string {
  return fields.map((f) => (f.includes(separator) || /["\r\n]|^\s|\s$/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(separator);
}
