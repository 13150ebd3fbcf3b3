// Bounded memory for any image: each hostile file is decoded (and its ink found and its 20×20
// made, as `wgsl-learn predict` does) in a fresh Node process running the image reader alone —
// built here with Vite into a temporary folder — which reports its peak resident memory above
// what it used before reading the file. Decompression bombs, huge declared sizes, a 2 MB token,
// truncated files, and the largest image accepted (4096 × 4096 RGBA) must all stay under the
// limit the documentation states: 320 MiB above the process's own.
//
// What "peak" means must not depend on who started the child. getrusage's ru_maxrss (Node's
// resourceUsage().maxRSS) does: Linux keeps the high-water mark across fork + exec, so a child
// of a 600 MB vitest worker reports 600 MB whatever it does. The child reads VmHWM from
// /proc/self/status instead — the peak of its own address space, which exec replaces — after
// resetting it to the current RSS (writing 5 to /proc/self/clear_refs), so the figure is the
// decode's peak alone. Two control cases keep the measurement honest in every run: a child that
// allocates nothing, started while this worker holds 600 MiB it has touched, must read near 0;
// a child that touches 128 MiB must read at least that.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunk, deflateSync, encodePng, ihdr, pngOf } from '../support/images.js';

const root = new URL('../..', import.meta.url).pathname;
const LIMIT_MIB = 320;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wgsl-learn-rss-'));
  writeFileSync(join(dir, 'measure.ts'), `
    import { readFileSync, writeFileSync } from 'node:fs';
    import { decodeImage, isBlank, toInk } from ${JSON.stringify(join(root, 'src/node/images.ts'))};
    import { quantize, toDigit } from ${JSON.stringify(join(root, 'src/data/downsample.mjs'))};
    import { readTableFile } from ${JSON.stringify(join(root, 'cli/table.ts'))};
    const kib = (field) => Number(readFileSync('/proc/self/status', 'utf8').split(/\\n/).find((l) => l.startsWith(field + ':')).replace(/\\D+/g, ''));
    const mode = process.argv[2];
    const bytes = mode === '--touch' || mode === '--csv' ? null : readFileSync(mode);
    writeFileSync('/proc/self/clear_refs', '5'); // VmHWM := VmRSS
    const before = kib('VmRSS');
    let outcome;
    try {
      if (mode === '--touch') {
        const mib = Number(process.argv[3]);
        outcome = 'touched ' + (mib ? new Uint8Array(mib << 20).fill(1).length >> 20 : 0) + ' MiB';
      } else if (mode === '--csv') {
        // What train reads of a CSV file: every column but y as features, y as labels or values.
        const t = await readTableFile(process.argv[3], { features: (h) => h.filter((c) => c !== 'y'), target: { name: 'y', kind: 'auto' } });
        outcome = 'rows ' + t.x.rows + ' × ' + t.x.cols + ', ' + t.target.kind;
      } else {
      const image = decodeImage(bytes, 'f');
      const ink = toInk(image);
      outcome = isBlank(ink) ? 'blank' : 'digit ' + quantize(toDigit(ink, image.width, image.height, 20)).reduce((a, b) => a + b, 0);
      }
    } catch (e) {
      outcome = e.name + ': ' + e.message;
    }
    console.log(JSON.stringify({ outcome, peakMiB: (kib('VmHWM') - before) / 1024 }));
  `);
  await build({
    configFile: false, logLevel: 'warn', root: dir,
    build: { ssr: join(dir, 'measure.ts'), outDir: join(dir, 'out'), emptyOutDir: true, minify: false, rollupOptions: { output: { entryFileNames: 'measure.mjs' } } },
  });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function child(args: string[]): { outcome: string; peakMiB: number } {
  return JSON.parse(execFileSync(process.execPath, [join(dir, 'out', 'measure.mjs'), ...args], { encoding: 'utf8' }).trim());
}

function measure(name: string, bytes: Uint8Array): { outcome: string; peakMiB: number } {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return child([file]);
}

describe('the measurement: the child\'s own peak, whatever its parent holds', () => {
  it('a child that allocates nothing reads near 0 while its parent holds 600 MiB', () => {
    const ballast = new Uint8Array(600 << 20).fill(7); // touched: resident in this worker
    const r = child(['--touch', '0']);
    expect(ballast[ballast.length - 1]).toBe(7);
    expect(r.outcome).toBe('touched 0 MiB');
    expect(r.peakMiB).toBeLessThan(16);
  });

  it('a child that touches 128 MiB reads at least 128 MiB', () => {
    const r = child(['--touch', '128']);
    expect(r.outcome).toBe('touched 128 MiB');
    expect(r.peakMiB).toBeGreaterThanOrEqual(128);
    expect(r.peakMiB).toBeLessThan(128 + 16);
  });
});

describe('hostile images: bounded memory, a named error', () => {
  const files: [string, () => Uint8Array, RegExp][] = [
    ['a 64 MiB bomb in a 64 KiB PNG', () => pngOf([chunk('IHDR', ihdr(64, 64, 8, 0)), chunk('IDAT', deflateSync(new Uint8Array(64 << 20))), chunk('IEND', new Uint8Array(0))]), /ImageError: .*inflates past/],
    ['a PNG declaring 4096 × 4096 RGBA 16-bit with a 512 MiB bomb', () => pngOf([chunk('IHDR', ihdr(4096, 4096, 16, 6)), chunk('IDAT', deflateSync(new Uint8Array(512 << 20))), chunk('IEND', new Uint8Array(0))]), /ImageError: .*inflates past/],
    ['a PNG declaring 2³¹ − 1 × 2³¹ − 1', () => pngOf([chunk('IHDR', ihdr(2 ** 31 - 1, 2 ** 31 - 1, 8, 0)), chunk('IDAT', deflateSync(new Uint8Array(16))), chunk('IEND', new Uint8Array(0))]), /ImageError: .*larger than/],
    ['a PGM declaring 100000 × 100000', () => new TextEncoder().encode('P5\n100000 100000\n255\n'), /ImageError: .*larger than/],
    ['a PGM with a 2 MB token', () => Uint8Array.from([...new TextEncoder().encode('P2\n'), ...new Uint8Array(2 << 20).fill(0x37)]), /ImageError: .*token/],
    ['a PNG that ends inside its header', () => encodePng(8, 8, new Array(64).fill(0.5)).subarray(0, 20), /ImageError: .*truncated/],
    ['the largest image accepted: 4096 × 4096 RGBA, a stroke on white', () => {
      const raw = new Uint8Array(4096 * (4096 * 4 + 1)).fill(255);
      for (let y = 1000; y < 3000; y++) raw.fill(0, y * 16385 + 1 + 2000 * 4, y * 16385 + 1 + 2100 * 4 - 1);
      for (let y = 0; y < 4096; y++) raw[y * 16385] = 0;
      return pngOf([chunk('IHDR', ihdr(4096, 4096, 8, 6)), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
    }, /^digit \d+/],
  ];
  const figures: string[] = [];
  for (const [name, make, outcome] of files) {
    it(name, () => {
      const r = measure(name.replace(/\W+/g, '-'), make());
      figures.push(`${name}: ${r.outcome.slice(0, 60)} — peak ${r.peakMiB.toFixed(0)} MiB`);
      expect(r.outcome).toMatch(outcome);
      expect(r.peakMiB, `${name}: ${r.peakMiB.toFixed(0)} MiB`).toBeLessThan(LIMIT_MIB);
    }, 120_000);
  }
  afterAll(() => console.log(`[reliability] hostile images, peak memory above the process's:\n  ${figures.join('\n  ')}`));
});

describe('CSV files: read as a stream, memory bounded by the numbers kept', () => {
  // The worst case per byte: a record of one one-character feature and a one-character label
  // ("1,a\n", 4 bytes) keeps 4 bytes for the feature, 4 for the label's id and 8 for the label
  // itself: 4 per byte of the file, plus what is collected late. Eight features of one
  // character take 3.5 per byte, typical five-character values about 2.
  const STATED = 6; // × the file's size, + 32 MiB
  it(`a 32 MiB CSV of one-character records: peak below ${STATED} × its size + 32 MiB (it was ~19× before streaming)`, () => {
    const file = join(dir, 'short.csv');
    const pairs = (32 << 20) / 8;
    writeFileSync(file, 'x,y\n' + '1,a\n1,b\n'.repeat(pairs));
    const size = statSync(file).size;
    const r = child(['--csv', file]);
    expect(r.outcome).toBe(`rows ${2 * pairs} × 1, labels`);
    console.log(`[reliability] CSV of ${(size / 2 ** 20).toFixed(0)} MiB: peak ${r.peakMiB.toFixed(0)} MiB above the process's (${(r.peakMiB / (size / 2 ** 20)).toFixed(2)} × the file)`);
    expect(r.peakMiB).toBeLessThan(STATED * (size / 2 ** 20) + 32);
  }, 120_000);
});
