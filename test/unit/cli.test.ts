// The command line without a GPU: its option parser, its progress line, and its CSV reader —
// every table fast-check makes round-trips through the writer, and every kind of broken file
// (a value that is not a number, a field missing or extra, a quote never closed, a stray quote,
// a value beyond float32) is refused with the line and column where it is.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/args.js';
import { CsvError, CsvParser, parseCsv, readNumber, toCsvLine } from '../../cli/csv.js';
import { CSV_DEFAULTS, DEFAULT_SETTINGS, parseTrainArgs } from '../../cli/options.js';
import { formatProgress } from '../../cli/progress.js';
import { featureMatrix, readTarget } from '../../cli/table.js';
import { classificationTable } from '../../cli/report.js';

describe('wgsl-learn train options', () => {
  it('--digits defaults are the demo page’s network and training; a CSV’s are the library’s', () => {
    expect(parseTrainArgs(['--digits']).settings).toEqual({ hidden: [25], output: 'softmax', lambda: 1, alpha: 0.01, optimizer: 'adam', batch: 100, epochs: 10, seed: 0 });
    expect(DEFAULT_SETTINGS.hidden).toEqual([25]); // not changed by parsing
    const csv = parseTrainArgs(['data.csv', '--target', 'y']);
    expect(csv.settings).toEqual(CSV_DEFAULTS);
    expect(csv.source).toEqual({ file: 'data.csv', target: 'y', ignore: [], normalize: true });
  });

  it('every option, in both --name value and --name=value forms', () => {
    const cmd = parseTrainArgs(['--digits', '--hidden', '100,25', '--output=sigmoid', '--lambda', '0', '--alpha=0.5', '--optimizer', 'sgd', '--batch', 'full', '--epochs', '3', '--seed=7', '--activation', 'relu', '--out', 'm.json', '--metrics', 'x.json', '--onnx', 'm.onnx']);
    expect(cmd.settings).toEqual({ hidden: [100, 25], output: 'sigmoid', lambda: 0, alpha: 0.5, optimizer: 'sgd', batch: 'full', epochs: 3, seed: 7, activation: 'relu' });
    expect([cmd.out, cmd.metrics, cmd.onnx, cmd.help]).toEqual(['m.json', 'x.json', 'm.onnx', false]);
    const csv = parseTrainArgs(['t.csv', '--target=y', '--features', 'a, b', '--ignore', 'id', '--validation-split', '0.25', '--early-stopping', '5', '--no-normalize', '--hidden', 'none', '--output', 'linear']);
    expect(csv.source).toEqual({ file: 't.csv', target: 'y', features: ['a', 'b'], ignore: ['id'], validationSplit: 0.25, earlyStopping: 5, normalize: false });
    expect(csv.settings.hidden).toEqual([]);
    expect(csv.settings.output).toBe('linear');
    expect(parseTrainArgs(['--help']).help).toBe(true);
    expect(parseTrainArgs(['-h']).help).toBe(true);
  });

  it('bad options are named, with what was expected', () => {
    const bad: [string[], RegExp][] = [
      [['--digits', '--alpha', '-1'], /--alpha: expected a number > 0 that float32 holds as a normal number, got "-1"/],
      [['--digits', '--alpha', '1e39'], /--alpha: expected a number > 0/],
      [['--digits', '--lambda', 'NaN'], /--lambda: expected a number ≥ 0/],
      [['--digits', '--lambda', '0x10'], /--lambda: expected a number ≥ 0/],
      [['--digits', '--batch', '1.5'], /--batch: expected full or an integer from 1/],
      [['--digits', '--seed', '-3'], /--seed: expected an integer from 0/],
      [['--digits', '--hidden', '0,5'], /--hidden: expected unit counts/],
      [['--digits', '--output', 'linear'], /--output: expected softmax, sigmoid/],
      [['--digits', '--activation', 'softsign'], /--activation: expected sigmoid, tanh, relu, identity, softplus, elu, swish, gelu, gelu_tanh, mish, one or one per hidden layer/],
      [['--digits', '--hidden', '5,5,5', '--activation', 'relu,tanh'], /2 activations for 3 hidden layers/],
      [['--digits', '--epochs'], /--epochs: expected a value/],
      [['--digits', '--epochs', '--seed', '1'], /--epochs: expected a value/],
      [['--digits', '--epoch', '3'], /unknown option "--epoch" \(did you mean --epochs\?\)/],
      [['--digits', '--digits=yes'], /--digits takes no value/],
      [['--digits', 'model.json'], /--digits: trains on the built-in digits, not on model\.json/],
      [['--digits', '--target', 'y'], /--target: is for a CSV file/],
      [[], /expected a CSV file to train on \(or --digits\)/],
      [['a.csv', 'b.csv', '--target', 'y'], /expected one CSV file, got 2/],
      [['a.csv'], /--target: expected the name of the column/],
      [['a.csv', '--target', ''], /--target: expected the name of a column, got ""/],
      [['a.csv', '--target', 'y', '--validation-split', '1'], /--validation-split: expected a fraction between 0 and 1/],
      [['a.csv', '--target', 'y', '--early-stopping', '5'], /--early-stopping: needs --validation-split/],
    ];
    for (const [args, message] of bad) {
      expect(() => parseTrainArgs(args), args.join(' ')).toThrow(UsageError);
      expect(() => parseTrainArgs(args), args.join(' ')).toThrow(message);
    }
  });
});

describe('progress line', () => {
  const p = { epoch: 3, epochs: 10, cost: 0.41234, trainAccuracy: 0.9031, testAccuracy: 0.9065, examplesPerSecond: 6118.4, secondsLeft: 75 };

  it('plain text when not on a terminal; a regression shows the validation cost', () => {
    expect(formatProgress(p)).toBe('epoch 3/10  J/m 0.4123  train 90.31 %  test 90.65 %  6,118 examples/s  1 min 15 s left');
    expect(formatProgress({ ...p, trainAccuracy: null, testAccuracy: null, heldOut: 'validation', heldOutCost: 0.5 })).toBe('epoch 3/10  J/m 0.4123  validation loss/m 0.5000  6,118 examples/s  1 min 15 s left');
    expect(formatProgress({ ...p, testAccuracy: null, heldOut: 'validation' })).toBe('epoch 3/10  J/m 0.4123  train 90.31 %  6,118 examples/s  1 min 15 s left');
  });

  it('a bar filled in proportion on a terminal, fitted to its width', () => {
    const line = formatProgress(p, 140);
    const bar = /^\[(#*)(-*)\] /.exec(line)!;
    expect(bar).not.toBeNull();
    const width = bar[1]!.length + bar[2]!.length;
    expect(bar[1]!.length).toBe(Math.round((width * 3) / 10));
    expect(line.length).toBeLessThanOrEqual(140);
    expect(formatProgress({ ...p, epoch: 10, secondsLeft: 0 }, 140)).toMatch(/^\[#+\] epoch 10\/10/);
  });
});

/** A field: any text, including separators, quotes, line breaks and edge spaces. */
const field = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', '"', '\n', '\r\n', 'é', '1', '.', '-', 'e', '\t'), maxLength: 8 });

describe('CSV', () => {
  it('any table written with toCsvLine reads back field for field (quotes, commas, line breaks, CRLF, a BOM)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }), fc.boolean(), fc.boolean(), fc.gen(), (cols, rows, crlf, bom, gen) => {
        const header = Array.from({ length: cols }, (_, c) => `c${c}`);
        // A record of one empty field is a blank line, which readers skip: give single columns text.
        const body = Array.from({ length: rows }, () => Array.from({ length: cols }, () => (cols === 1 ? `x${gen(() => field)}` : gen(() => field))));
        const text = (bom ? '\uFEFF' : '') + [header, ...body].map((r) => toCsvLine(r)).join(crlf ? '\r\n' : '\n') + (crlf ? '\r\n' : '\n');
        const t = parseCsv(text, 'f.csv');
        expect(t.header).toEqual(header);
        expect(t.rows).toEqual(body);
      }),
      { numRuns: 500, seed: 3 },
    );
  });

  it('read in pieces of any size (as files are, a chunk at a time), any text gives the same records, lines and errors as read whole', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '1', ',', '"', '\n', '\r', '\r\n', ' ', '\uFEFF'), maxLength: 60 });
    const outcome = (pieces: string[]) => {
      const records: [string[], number][] = [];
      try {
        const parser = new CsvParser('f.csv', ',', (fields, line) => records.push([fields, line]));
        for (const p of pieces) parser.push(p);
        parser.end();
        return JSON.stringify(records);
      } catch (e) {
        return e instanceof CsvError ? `error at ${e.line}:${e.column}: ${e.problem.replace(/\(".*"\)$/, '')}` : String(e);
      }
    };
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 8 }), (t, cuts) => {
        const at = [...new Set(cuts.map((c) => c % (t.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...at, t.length].slice(1).map((end, k, ends) => t.slice(k === 0 ? 0 : ends[k - 1], end));
        expect(outcome(pieces)).toBe(outcome([t]));
      }),
      { numRuns: 2000, seed: 5 },
    );
  });

  it('every record says the line it starts on, past quoted line breaks and blank lines', () => {
    const t = parseCsv('a,b\n1,"x\ny"\n\n2,"p\r\nq"\r\n3,z\n', 'f.csv');
    expect(t.rows).toEqual([['1', 'x\ny'], ['2', 'p\r\nq'], ['3', 'z']]);
    expect(t.lines).toEqual([2, 5, 7]);
  });

  /** A valid numeric table of `rows` records (line r + 2) and `cols` columns, as lines. */
  const numeric = (rows: number, cols: number) => [Array.from({ length: cols }, (_, c) => `x${c}`).join(','), ...Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => String(r * cols + c - 3.5)).join(','))];

  it('a field that is not a number, anywhere, is refused at its line and column', () => {
    const bad = fc.constantFrom('', ' ', 'abc', '1,5', '0x10', 'NaN', 'Infinity', '-inf', '1e39', '-4e38', '1..2', '1e', '+', '.', '--1', '١', '1_000', 'true');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.nat(), fc.nat(), bad, (rows, cols, r0, c0, value) => {
        const [r, c] = [r0 % rows, c0 % cols];
        // A valid record follows: in a one-column file an empty last value is a trailing blank line.
        const lines = numeric(rows + 1, cols).map((l) => l.split(','));
        lines[r + 1]![c] = value.includes(',') ? `"${value}"` : value;
        const table = parseCsv(lines.map((l) => l.join(',')).join('\n'), 'f.csv');
        let error: unknown;
        try {
          featureMatrix(table, 'f.csv', table.header);
        } catch (e) {
          error = e;
        }
        expect(error, JSON.stringify(value)).toBeInstanceOf(CsvError);
        expect([(error as CsvError).line, (error as CsvError).column]).toEqual([r + 2, c + 1]);
        expect((error as CsvError).message).toContain(`f.csv: line ${r + 2}, column ${c + 1} (x${c}): `);
      }),
      { numRuns: 400, seed: 4 },
    );
  });

  it('a record with a field missing or extra, an unclosed quote, a stray quote: refused at its line', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 2, max: 5 }), fc.nat(), fc.constantFrom('missing', 'extra', 'unclosed', 'stray', 'after-quote'), (rows, cols, r0, kind) => {
        const r = r0 % rows;
        const lines = numeric(rows, cols);
        const fields = lines[r + 1]!.split(',');
        if (kind === 'missing') fields.pop();
        if (kind === 'extra') fields.push('9');
        if (kind === 'unclosed') fields[1] = '"12';
        if (kind === 'stray') fields[1] = '1"2';
        if (kind === 'after-quote') fields[1] = '"1"2';
        lines[r + 1] = fields.join(',');
        let error: unknown;
        try {
          const t = parseCsv(lines.join('\n'), 'f.csv');
          featureMatrix(t, 'f.csv', t.header);
        } catch (e) {
          error = e;
        }
        expect(error, kind).toBeInstanceOf(CsvError);
        expect((error as CsvError).line, kind).toBe(r + 2);
        if (kind !== 'missing' && kind !== 'extra') expect((error as CsvError).column, kind).toBe(2);
      }),
      { numRuns: 300, seed: 6 },
    );
  });

  it('a file without records, a header with a blank or repeated name: refused', () => {
    expect(() => parseCsv('', 'f.csv')).toThrow('f.csv: line 1: the file is empty');
    expect(() => parseCsv('a,b\n', 'f.csv')).toThrow('f.csv: line 2: no data');
    expect(() => parseCsv('a,,c\n1,2,3\n', 'f.csv')).toThrow('f.csv: line 1, column 2: a column of the header has no name');
    expect(() => parseCsv('a,b,a\n1,2,3\n', 'f.csv')).toThrow('the column name "a" appears twice (also column 1)');
  });

  it('numbers: decimal forms only, finite in float32', () => {
    for (const ok of ['0', '-1', '+2.5', '.5', '5.', '1e3', '-1.5E-3', ' 7 ', '3.4e38']) expect(typeof readNumber(ok), ok).toBe('number');
    for (const bad of ['', 'NaN', 'Infinity', '0x1F', '1e39', '1,5', '0b1']) expect(typeof readNumber(bad), bad).toBe('string');
  });

  it('a target of text is labels (sorted classes), of numbers is values unless labels are asked for', () => {
    const t = parseCsv('x,y\n1,b\n2,a\n3,b\n', 'f.csv');
    expect(readTarget(t, 'f.csv', 'y', 'auto')).toEqual({ kind: 'labels', name: 'y', labels: ['b', 'a', 'b'], classes: ['a', 'b'] });
    expect(() => readTarget(t, 'f.csv', 'y', 'values')).toThrow('f.csv: line 2, column 2 (y): is "b", not a number (a linear output needs numbers)');
    const n = parseCsv('x,y\n1,10\n2,2\n3,10\n', 'f.csv');
    expect(readTarget(n, 'f.csv', 'y', 'auto')).toEqual({ kind: 'values', name: 'y', values: Float64Array.from([10, 2, 10]) });
    expect(readTarget(n, 'f.csv', 'y', 'labels')).toEqual({ kind: 'labels', name: 'y', labels: [10, 2, 10], classes: [2, 10] });
    expect(() => readTarget(parseCsv('x,y\n1,a\n2,a\n', 'f.csv'), 'f.csv', 'y', 'auto')).toThrow('a classifier needs at least two');
    expect(() => readTarget(parseCsv('x,y\n1,a\n2,\n', 'f.csv'), 'f.csv', 'y', 'labels')).toThrow('f.csv: line 3, column 2 (y): is empty');
    expect(() => readTarget(t, 'f.csv', 'Y', 'auto')).toThrow('--target: f.csv has no column "Y" (did you mean "y"?)');
  });
});

describe('reports of many classes', () => {
  it('a classifier of 400 classes: the per-class table prints every class, the confusion matrix is left to the metrics file, nothing spreads 160,000 counts into a call', () => {
    const K = 400;
    const classes = Array.from({ length: K }, (_, k) => ({ label: `class ${k}`, precision: 1, recall: 1, f1: 1, support: 1 }));
    const confusion = Array.from({ length: K }, (_, t) => Array.from({ length: K }, (_, p) => (t === p ? 1 : 0)));
    const text = classificationTable({ accuracy: 1, classes, macro: { precision: 1, recall: 1, f1: 1 }, confusion } as never);
    expect(text).toContain('class 399');
    expect(text).toContain('confusion: 400 × 400 (too wide to print; --metrics writes it)');
    const small = classificationTable({ accuracy: 1, classes: classes.slice(0, 3), macro: { precision: 1, recall: 1, f1: 1 }, confusion: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] } as never);
    expect(small).toContain('confusion (rows: true class, columns: predicted)');
  });
});
