// The command line under hostile input, run in this process (main(), as the bin runs it): the
// classes of the third reliability pass. Text that is not UTF-8, a UTF-16 file, a header of
// 100,000 columns with a duplicate, a 2 MB field, a regression target whose squared error
// overflows float32, a model file of the wrong kind or too large — each an exit status of 2 and
// a short message naming the file and line, before any GPU work, with nothing written. Then
// what the model knows survives: evaluate reads the target as the model's own classes, predict
// run on its own output replaces its prediction columns rather than adding more.

import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../cli/csv.js';
import { runCli } from '../support/cli-run.js';

let dir: string;
let out = '';
let err = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wgsl-learn-hostile-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** Runs the command line; its stdout and stderr are kept in `out` and `err`. */
async function main(argv: string[]): Promise<number> {
  const r = await runCli(argv);
  out = r.out;
  err = r.err;
  return r.code;
}

const file = (name: string, data: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
};
const written = () => readdirSync(dir).filter((f) => f.endsWith('.json') || f.endsWith('.tmp'));

describe('hostile files: exit 2, a short message naming the line, nothing written, no GPU work', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['a Latin-1 file (its "café" and "cafè" would become one class)', () => ['train', file('latin1.csv', Uint8Array.from([...Buffer.from('x,y\n1,caf'), 0xe9, ...Buffer.from('\n2,caf'), 0xe8, ...Buffer.from('\n')])), '--target', 'y'], /latin1\.csv: line 2: byte 0xE9 is not UTF-8/],
    ['a UTF-16 file', () => ['train', file('utf16.csv', Buffer.from('\uFEFFx,y\n1,a\n', 'utf16le')), '--target', 'y'], /is UTF-16/],
    ['100,000 columns, the last a duplicate of the first', () => ['train', file('wide.csv', `${Array.from({ length: 100_000 }, (_, c) => `c${c}`).join(',')},c0\n`), '--target', 'c1'], /column 100001: the column name "c0" appears twice \(also column 1\)/],
    ['a 2 MB field that is not a number', () => ['train', file('long.csv', `x,y\n${'7'.repeat(1 << 20)}x${'7'.repeat(1 << 20)},a\n1,b\n`), '--target', 'y'], /long\.csv: line 2, column 1 \(x\): is "7{40}…", not a number/],
    ['a target of 3e38 among 20 rows (its squared error overflows float32)', () => ['train', file('huge.csv', `x,y\n${Array.from({ length: 20 }, (_, i) => `${i},${i === 7 ? '3e38' : i}`).join('\n')}\n`), '--target', 'y', '--validation-split', '0.25', '--early-stopping', '3'], /huge\.csv: line 9, column 2 \(y\): is "3e38": with it the squared-error cost .* overflows float32/],
    ['a missing target column in a file of 100,000 columns (the message lists a few)', () => ['train', file('wider.csv', `${Array.from({ length: 100_000 }, (_, c) => `c${c}`).join(',')}\n${'1,'.repeat(99_999)}1\n`), '--target', 'nope'], /--target: .*wider\.csv has no column "nope"; its columns are "c0", .* and 99988 more/],
    ['a JSON model file with text that is not UTF-8', () => ['evaluate', '--model', file('bad-utf8.json', Uint8Array.from([...Buffer.from('{"format": "'), 0xff, ...Buffer.from('"}')])), file('d.csv', 'x,y\n1,a\n')], /--model: .*bad-utf8\.json is not UTF-8 text/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const argv = args();
      const before = written();
      const code = await main(argv);
      const said = err;
      expect(code, said).toBe(2);
      expect(said).toMatch(message);
      expect(said.length).toBeLessThan(1000);
      expect(written()).toEqual(before);
      expect(out).not.toContain('adapter:'); // refused before the GPU was asked for
    });
  }
});

describe('what a model knows survives the command line', () => {
  // A softmax regression over one feature with classes "1", "2" and "x": text labels, two of them digits.
  const model = () =>
    file('labels.json', JSON.stringify({
      format: 'wgsl-learn/network', version: 1, layers: [1, 3], head: 'softmax', classes: ['1', '2', 'x'],
      theta: [0, -5, 0, 0, 0, 5], normalization: null, epochs: 0, dataset: { features: ['f'], target: 'label' },
    }));

  it('evaluate reads the target as the model\'s own text classes: a file holding only "1" and "2" is not refused for want of text', async () => {
    const data = file('digits-only.csv', 'f,label\n-3,1\n0,2\n3,2\n');
    const code = await main(['evaluate', '--model', model(), data]);
    expect(code, err).toBe(0);
    expect(out).toMatch(/digits-only\.csv \(3 examples\): accuracy 33\.33 %/);
    // A value that is none of the classes is named with its line.
    expect(await main(['evaluate', '--model', model(), file('other.csv', 'f,label\n1,1\n2,3\n')])).toBe(2);
    expect(err).toMatch(/other\.csv: line 3, column 2 \(label\): is "3", not one of the model's classes \("1", "2", "x"\)/);
  });

  it('predict run on its own output replaces its prediction columns, and says so', async () => {
    const data = file('p.csv', 'f,label\n-3,1\n3,x\n');
    const first = join(dir, 'p1.csv');
    expect(await main(['predict', '--model', model(), data, '--out', first])).toBe(0);
    const second = join(dir, 'p2.csv');
    expect(await main(['predict', '--model', model(), first, '--out', second])).toBe(0);
    expect(err).toContain('already has "prediction", "p(1)", "p(2)", "p(x)": replaced by this model\'s');
    const a = parseCsv(readFileSync(first, 'utf8'), 'p1');
    const b = parseCsv(readFileSync(second, 'utf8'), 'p2');
    expect(b.header).toEqual(['f', 'label', 'prediction', 'p(1)', 'p(2)', 'p(x)']);
    expect(b.rows).toEqual(a.rows);
  });

  it('a JSON model saved with a byte order mark is read as JSON', async () => {
    const bom = file('bom.json', `\uFEFF${readFileSync(model(), 'utf8')}`);
    expect(await main(['evaluate', '--model', bom, file('d2.csv', 'f,label\n-3,1\n3,x\n')]), err).toBe(0);
  });
});
