// A CSV table as a model reads it, record by record: the feature columns into an m × n float32
// matrix, the target column as numbers (a real-valued target) or labels (classes: any text, or
// numbers used as names) — or, for a model that already has classes, as those classes. Every
// value is checked as it comes, and the first bad one is a CsvError naming its line and column;
// a column named on the command line that the file lacks is a UsageError. Nothing of the text is
// kept: per example, 4 bytes a feature and 12 for the target.

import type { Label } from '../src/index.js';
import { F32_MAX } from '../src/gpu/f32.js';
import { closest } from '../src/spelling.js';
import { UsageError } from './args.js';
import { extname } from 'node:path';
import { CsvError, type CsvTable, numberProblem, parseNumber } from './csv.js';
import { show } from '../src/show.js';
import { readCsvFile } from './csv-file.js';

export interface Matrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

export type Target = { kind: 'values'; name: string; values: Float64Array } | { kind: 'labels'; name: string; labels: Label[]; classes: Label[] };

/** How the target column is read: numbers, labels, whichever fits, or a model's own classes. */
export type TargetKind = 'values' | 'labels' | 'auto' | { classes: readonly Label[] };

/** The most classes a classifier may have (SoftmaxRegression's and the networks' bound). */
export const MAX_CLASSES = 65536;

/** A list of column names for a message: the first few, and how many more. */
export function listColumns(names: readonly string[], max = 12): string {
  const shown = names.slice(0, max).map((h) => show(h)).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** The index of column `name`, or a UsageError from `flag` listing the columns. */
export function columnIndex(header: readonly string[], file: string, name: string, flag: string): number {
  const i = header.indexOf(name);
  if (i >= 0) return i;
  const near = name.length <= 64 ? closest(name, header.length <= 10_000 ? header : header.slice(0, 10_000)) : undefined;
  // A flag the user gave (--…) is named first; a column a model file asks for is named as what it is.
  const own = !flag.startsWith('--');
  throw new UsageError(`${own ? '' : `${flag}: `}${file} has no column ${show(name)}${own ? `, ${flag}` : ''}${near ? ` (did you mean ${show(near)}?)` : ''}; its columns are ${listColumns(header)}`);
}

export interface ColumnSpec {
  /** The feature columns by name, or chosen from the header (every column but the target …). */
  features: readonly string[] | ((header: readonly string[]) => string[]);
  /** The flag the feature names came from, or what they are ("an input of the model m.json"), for a missing column. */
  featuresFlag?: string;
  target?: { name: string; kind: TargetKind; flag?: string };
  /** The records of a table held whole, so the matrix is allocated once (a file's bound comes from its size: onHeader). */
  capacity?: number;
}

/** Grows a typed array to hold `need` elements (doubling), keeping its contents. */
function grow<T extends Float32Array | Float64Array | Uint32Array>(a: T, need: number, make: (n: number) => T): T {
  if (need <= a.length) return a;
  const b = make(Math.max(need, 2 * a.length));
  b.set(a);
  return b;
}

/** Reads the columns of `spec` from a table's records as they come (header(), then add() per record, then finish()). */
export class ColumnReader {
  private columns: number[] = [];
  private names: string[] = [];
  private targetColumn = -1;
  private data = new Float32Array(0);
  private values = new Float64Array(0);
  private ids = new Uint32Array(0);
  private readonly texts: string[] = [];
  private readonly textId = new Map<string, number>();
  private tooMany = false;
  private firstText: { line: number; problem: string } | undefined;
  private firstEmpty: number | undefined;
  private header: readonly string[] = [];
  /** ½ Σ y² of a numeric target, and its largest value: a regression whose cost overflows float32 is refused at that line. */
  private squares = 0;
  private largest = { size: -1, line: 0, text: '' };
  /** A model's classes, when the target is read as them. */
  private readonly known: { set: Set<Label>; byText: boolean; classes: readonly Label[] } | undefined;
  rows = 0;

  constructor(
    private readonly file: string,
    private readonly spec: ColumnSpec,
  ) {
    const kind = spec.target?.kind;
    if (typeof kind === 'object') this.known = { set: new Set(kind.classes), byText: typeof kind.classes[0] === 'string', classes: kind.classes };
  }

  /**
   * The header; `fileBytes`, a file's size, bounds its records (each takes at least a byte per
   * column) so the matrix is allocated once — memory past what is filled is never touched, and
   * so never resident.
   */
  readonly onHeader = (header: readonly string[], fileBytes?: number): void => {
    this.header = header;
    const t = this.spec.target;
    if (t) this.targetColumn = columnIndex(header, this.file, t.name, t.flag ?? '--target');
    this.names = typeof this.spec.features === 'function' ? this.spec.features(header) : [...this.spec.features];
    this.columns = this.names.map((n) => columnIndex(header, this.file, n, this.spec.featuresFlag ?? '--features'));
    const rows = Math.max(1, this.spec.capacity ?? (fileBytes === undefined ? 1024 : Math.floor(fileBytes / header.length) + 1));
    this.data = new Float32Array(rows * this.columns.length);
    if (t) {
      this.values = new Float64Array(rows);
      this.ids = new Uint32Array(rows);
    }
  };

  readonly onRecord = (fields: string[], line: number): void => {
    const n = this.columns.length;
    const r = this.rows;
    this.data = grow(this.data, (r + 1) * n, (k) => new Float32Array(k));
    for (let j = 0; j < n; j++) {
      const c = this.columns[j]!;
      const v = parseNumber(fields[c]!);
      if (v === undefined) throw new CsvError(this.file, line, c + 1, numberProblem(fields[c]!), this.header[c]);
      this.data[r * n + j] = v;
    }
    if (this.targetColumn >= 0) this.readTarget(fields[this.targetColumn]!.trim(), r, line);
    this.rows++;
  };

  private readTarget(text: string, r: number, line: number): void {
    const v = parseNumber(text);
    if (v === undefined && this.firstText === undefined) {
      this.firstText = { line, problem: numberProblem(text) };
      if (this.spec.target!.kind === 'values') this.fail(line, `${this.firstText.problem} (a linear output needs numbers)`);
      // A column with text holds labels, by their text: its numbers are no longer needed.
      if (!this.known || this.known.byText) this.values = new Float64Array(0);
    }
    if (this.firstText === undefined || (this.known && !this.known.byText)) {
      this.values = grow(this.values, r + 1, (k) => new Float64Array(k));
      this.values[r] = v ?? NaN;
      if (v !== undefined) {
        this.squares += 0.5 * v * v;
        if (Math.abs(v) >= this.largest.size) this.largest = { size: Math.abs(v), line, text };
      }
    }
    this.ids = grow(this.ids, r + 1, (k) => new Uint32Array(k));
    if (text === '') this.firstEmpty ??= line;
    if (this.known) this.checkClass(text, v, line);
    if (this.tooMany) return;
    let id = this.textId.get(text);
    if (id === undefined) {
      if (this.texts.length > MAX_CLASSES) {
        this.tooMany = true;
        return;
      }
      id = this.texts.length;
      this.texts.push(text);
      this.textId.set(text, id);
    }
    this.ids[r] = id;
  }

  /** The matrix and the target, read; throws what the whole column decides (a label type, too few or too many classes). */
  finish(): { x: Matrix; features: string[]; target: Target | undefined } {
    const x = { rows: this.rows, cols: this.columns.length, data: this.data.subarray(0, this.rows * this.columns.length) };
    return { x, features: this.names, target: this.spec.target && this.target(this.spec.target) };
  }

  private fail(line: number, problem: string): never {
    throw new CsvError(this.file, line, this.targetColumn + 1, problem, this.header[this.targetColumn]);
  }

  private target(t: NonNullable<ColumnSpec['target']>): Target {
    const m = this.rows;
    const values = this.values.subarray(0, m);
    const numeric = this.firstText === undefined;
    if (t.kind === 'values' || (t.kind === 'auto' && numeric)) {
      if (!numeric) this.fail(this.firstText!.line, `${this.firstText!.problem} (a linear output needs numbers)`);
      // As the library refuses such targets (src/train/dataset.ts), here with the line.
      if (this.squares > F32_MAX) this.fail(this.largest.line, `is ${show(this.largest.text)}: with it the squared-error cost ½·Σ y² = ${this.squares.toPrecision(3)} overflows float32 (3.4e38), so no epoch's cost could be measured; scale this column (divide it by a power of ten) or standardise it`);
      return { kind: 'values', name: t.name, values: Float64Array.from(values) };
    }
    if (this.firstEmpty !== undefined) this.fail(this.firstEmpty, 'is empty (every example needs its class)');
    if (typeof t.kind === 'object') return this.modelClasses(t.name, t.kind.classes);
    if (this.tooMany) throw new UsageError(`--target: ${t.name} holds more than ${MAX_CLASSES.toLocaleString('en')} different values, more classes than a model can have (is it a real-valued target? --output linear)`);
    // Array.from over a length, not an iterator: the array is made at its size, never regrown.
    const labels: Label[] = numeric ? Array.from({ length: m }, (_, r) => values[r]!) : Array.from({ length: m }, (_, r) => this.texts[this.ids[r]!]!);
    const classes = numeric ? [...new Set(labels as number[])].sort((a, b) => a - b) : [...this.texts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (classes.length < 2) throw new UsageError(`--target: every example of ${this.file} has the class ${show(String(classes[0]))}: a classifier needs at least two`);
    return { kind: 'labels', name: t.name, labels, classes };
  }

  /**
   * A model's classes (kind { classes }): text labels are matched by their text, number labels
   * (or the indices 0 … K − 1) by their value — the model's label type, never one guessed from
   * this file — and a field that is none of them is refused at its line.
   */
  private checkClass(text: string, v: number | undefined, line: number): void {
    const { set, byText, classes } = this.known!;
    if (byText ? set.has(text) : v !== undefined && set.has(v)) return;
    const shown = classes.slice(0, 8).map((c) => show(String(c))).join(', ') + (classes.length > 8 ? ` and ${classes.length - 8} more` : '');
    this.fail(line, `is ${show(text)}, not one of the model's classes (${shown})`);
  }

  /** The column read as the model's classes (each field was checked as it came). */
  private modelClasses(name: string, classes: readonly Label[]): Target {
    const byText = this.known!.byText;
    const labels: Label[] = byText ? Array.from({ length: this.rows }, (_, r) => this.texts[this.ids[r]!]!) : Array.from({ length: this.rows }, (_, r) => this.values[r]!);
    return { kind: 'labels', name, labels, classes: [...classes] };
  }
}

/** The numeric columns `names` of every record of a table held whole, as a matrix (tests, small tables). */
export function featureMatrix(table: CsvTable, file: string, names: readonly string[]): Matrix {
  return readColumns(table, file, { features: names }).x;
}

/** The target column of a table held whole: 'values' reads numbers, 'labels' classes, 'auto' values when every field is a number. */
export function readTarget(table: CsvTable, file: string, name: string, kind: TargetKind): Target {
  return readColumns(table, file, { features: [], target: { name, kind } }).target!;
}

function readColumns(table: CsvTable, file: string, spec: ColumnSpec): ReturnType<ColumnReader['finish']> {
  const reader = new ColumnReader(file, { ...spec, capacity: table.rows.length });
  reader.onHeader(table.header);
  table.rows.forEach((fields, r) => reader.onRecord(fields, table.lines[r]!));
  return reader.finish();
}

/** Every column but the target (and the ones excluded), in the file's order. */
export function defaultFeatures(header: readonly string[], except: readonly string[]): string[] {
  return header.filter((h) => !except.includes(h));
}

/** Reads `spec`'s columns from the CSV file at `path` as it streams (./csv-file.ts); `onHeader` may check the header first. */
export async function readTableFile(path: string, spec: ColumnSpec, onHeader?: (header: readonly string[]) => void): Promise<ReturnType<ColumnReader['finish']>> {
  const reader = new ColumnReader(path, spec);
  await readCsvFile(path, {
    file: path, flag: 'the data file', separator: separatorOf(path),
    onHeader: (header, size) => {
      onHeader?.(header);
      reader.onHeader(header, size);
    },
    onRecord: reader.onRecord,
  });
  return reader.finish();
}

/** The file's separator: tabs for .tsv, commas otherwise. */
export function separatorOf(file: string): string {
  return extname(file).toLowerCase() === '.tsv' ? '\t' : ',';
}
