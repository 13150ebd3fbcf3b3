// A CSV table as a model reads it: the feature columns as an m × n float32 matrix, the target
// column as numbers (a real-valued target) or labels (classes: any text, or numbers used as
// names). Every value is checked, and the first bad one is a CsvError naming its line and
// column; a column named on the command line that the file lacks is a UsageError.

import { closest } from '../src/spelling.js';
import { UsageError } from './args.js';
import { CsvError, type CsvTable, readNumber } from './csv.js';

export interface Matrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

export type Target = { kind: 'values'; name: string; values: Float64Array } | { kind: 'labels'; name: string; labels: (string | number)[]; classes: (string | number)[] };

/** The index of column `name`, or a UsageError from `flag` listing the columns. */
export function columnIndex(table: CsvTable, file: string, name: string, flag: string): number {
  const i = table.header.indexOf(name);
  if (i >= 0) return i;
  const near = closest(name, table.header);
  throw new UsageError(`${flag}: ${file} has no column "${name}"${near ? ` (did you mean "${near}"?)` : ''}; its columns are ${table.header.map((h) => `"${h}"`).join(', ')}`);
}

/** The numeric columns `names` of every record, as a matrix. */
export function featureMatrix(table: CsvTable, file: string, names: readonly string[]): Matrix {
  const columns = names.map((n) => columnIndex(table, file, n, '--features'));
  const rows = table.rows.length;
  const data = new Float32Array(rows * columns.length);
  table.rows.forEach((record, r) => {
    columns.forEach((c, j) => {
      const v = readNumber(record[c]!);
      if (typeof v === 'string') throw new CsvError(file, table.lines[r]!, c + 1, v, table.header[c]);
      data[r * columns.length + j] = v;
    });
  });
  return { rows, cols: columns.length, data };
}

/** Every column but the target (and the ones excluded), in the file's order. */
export function defaultFeatures(table: CsvTable, except: readonly string[]): string[] {
  return table.header.filter((h) => !except.includes(h));
}

/**
 * The target column: 'values' reads numbers (regression), 'labels' reads classes, 'auto' picks
 * values when every field is a number and labels otherwise.
 */
export function readTarget(table: CsvTable, file: string, name: string, kind: 'values' | 'labels' | 'auto'): Target {
  const c = columnIndex(table, file, name, '--target');
  const texts = table.rows.map((r) => r[c]!.trim());
  const numbers = texts.map(readNumber);
  const firstText = numbers.findIndex((v) => typeof v === 'string');
  const numeric = firstText < 0;
  if (kind === 'values' || (kind === 'auto' && numeric)) {
    if (!numeric) throw new CsvError(file, table.lines[firstText]!, c + 1, `${numbers[firstText]} (a linear output needs numbers)`, name);
    return { kind: 'values', name, values: Float64Array.from(numbers as number[]) };
  }
  const empty = texts.findIndex((t) => t === '');
  if (empty >= 0) throw new CsvError(file, table.lines[empty]!, c + 1, 'is empty (every example needs its class)', name);
  const labels: (string | number)[] = numeric ? (numbers as number[]) : texts;
  const classes = [...new Set(labels)].sort((a, b) => (numeric ? (a as number) - (b as number) : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  if (classes.length < 2) throw new UsageError(`--target: every example of ${file} has the class ${JSON.stringify(classes[0])}: a classifier needs at least two`);
  return { kind: 'labels', name, labels, classes };
}
