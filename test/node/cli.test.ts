// The command line as a user runs it, in child processes, from source (scripts/run.mjs
// cli/wgsl-learn.ts, as `npm run train` and `npm run predict` run it; the built `bin` is tested
// from the packed package in test/node/package.test.ts): `train --digits` trains, prints plain
// progress lines when not on a terminal, and writes the model, the metrics and the ONNX file;
// bad options name the option and exit with 2; `predict` reads PNG and PGM files of test digits
// — white on black and black on white, enlarged — and prints the digit the library itself
// predicts for them. CSV files: test/node/cli-csv.test.ts.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GpuContext, createContext } from '../../src/gpu/context.js';
import { parseDigits } from '../../src/data/digits.js';
import { NeuralNetwork, type NetworkJSON } from '../../src/models/network.js';
import { encodePgm, encodePng } from '../support/images.js';
import { type Ran, exec } from '../support/process.js';

const root = new URL('../..', import.meta.url).pathname;
const digits = parseDigits(readFileSync(join(root, 'demo/public/digits-20x20.bin')));
let dir: string;
let ctx: GpuContext;

/** `npm run <script>` without npm: scripts/run.mjs runs the TypeScript entry. */
function run(entry: string, args: string[]): Promise<Ran> {
  return exec(process.execPath, ['scripts/run.mjs', entry, ...args], root);
}

/** `npm run train -- <args>`. */
const train = (args: string[]) => run('cli/wgsl-learn.ts', ['train', '--digits', ...args]);
/** `npm run predict -- <args>`. */
const predict = (args: string[]) => run('cli/wgsl-learn.ts', ['predict', ...args]);

/** Test digit i enlarged `scale`× by repeating pixels, on a border of `pad` pixels; inverted to black on white when asked. */
function digitImage(i: number, scale: number, pad: number, inverted: boolean): { width: number; height: number; data: Float64Array } {
  const side = 20 * scale + 2 * pad;
  const data = new Float64Array(side * side);
  for (let y = 0; y < 20 * scale; y++) {
    for (let x = 0; x < 20 * scale; x++) data[(y + pad) * side + x + pad] = digits.test.x.data[i * 400 + Math.floor(y / scale) * 20 + Math.floor(x / scale)]!;
  }
  return { width: side, height: side, data: inverted ? data.map((v) => 1 - v) : data };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wgsl-learn-cli-'));
  ctx = await createContext();
});
afterAll(() => {
  ctx?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run train (wgsl-learn train --digits)', () => {
  it('trains with the options given and writes the model, the metrics and an ONNX file that agree', async () => {
    const [model, metrics, onnx] = ['model.json', 'metrics.json', 'model.onnx'].map((f) => join(dir, f));
    const r = await train(['--epochs', '2', '--hidden', '20', '--seed', '3', '--out', model!, '--metrics', metrics!, '--onnx', onnx!]);
    expect(r.code, r.stderr).toBe(0);
    // A normal run is quiet: none of the native libraries' start-up noise (src/node/webgpu.ts).
    expect(r.stderr).not.toMatch(/XDG_RUNTIME_DIR|shaderUniform|While initializing adapter/);
    expect(r.stdout).toMatch(/^adapter: /m);
    expect(r.stdout).toContain('network 400-20-10 (softmax), λ = 1, adam α = 0.01, batch 100, 2 epochs, seed 3');
    // Not a terminal: one plain line per epoch, no bar.
    expect(r.stdout).toMatch(/^epoch 1\/2  J\/m \d+\.\d{4}  train \d+\.\d\d %  test \d+\.\d\d %  [\d,]+ examples\/s  \d+ s left$/m);
    expect(r.stdout).toMatch(/^epoch 2\/2 /m);
    expect(r.stdout).not.toContain('\r');
    const m = JSON.parse(readFileSync(metrics!, 'utf8'));
    expect(Object.keys(m).sort()).toEqual(['adapter', 'epochs', 'finalCost', 'layers', 'seconds', 'testAccuracy', 'trainAccuracy']);
    expect(m.layers).toEqual([400, 20, 10]);
    expect(m.epochs).toBe(2);
    expect(m.adapter.source).toBe('node-webgpu');
    expect(m.testAccuracy).toBeGreaterThan(0.85);
    expect(m.finalCost).toBeGreaterThan(0);
    // The saved model reproduces the test accuracy in the metrics; the ONNX file gives the same h.
    const net = NeuralNetwork.load(ctx, JSON.parse(readFileSync(model!, 'utf8')) as NetworkJSON);
    try {
      expect((await net.cost(digits.test.x, digits.test.y)).accuracy).toBe(m.testAccuracy);
      // `evaluate --digits` reports the same test accuracy, and its confusion matrix counts the 2,000 test digits.
      const e = await run('cli/wgsl-learn.ts', ['evaluate', '--model', model!, '--digits', '--metrics', join(dir, 'eval.json')]);
      expect(e.code, e.stderr).toBe(0);
      expect(e.stdout).toContain(`the test digits (2000 examples): accuracy ${(100 * m.testAccuracy).toFixed(2)} %`);
      expect(JSON.parse(readFileSync(join(dir, 'eval.json'), 'utf8')).confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(2000);
      const session = await ort.InferenceSession.create(readFileSync(onnx!));
      const h = (await session.run({ x: new ort.Tensor('float32', digits.test.x.data.slice(0, 4000), [10, 400]) })).h!.data as Float32Array;
      await session.release();
      const want = await net.predictProbabilities({ rows: 10, cols: 400, data: digits.test.x.data.slice(0, 4000) });
      want.forEach((v, i) => expect(Math.abs(h[i]! - v)).toBeLessThan(1e-5));
    } finally {
      net.destroy();
    }
  }, 300_000);

  it('bad options print which option is wrong and the usage, and exit with 2', async () => {
    for (const [args, message] of [
      [['--epochs', '0'], '--epochs: expected an integer from 1 to 100000, got "0"'],
      [['--hidden', '25,x'], '--hidden: expected unit counts'],
      [['--optimizer', 'rmsprop'], '--optimizer: expected adam, momentum, sgd'],
      [['--frobnicate'], 'unknown option "--frobnicate"'],
      [['--out'], '--out: expected a value'],
      [['--out', join(dir, 'no-such-folder', 'm.json')], '--out: the folder'],
      [['--out', join(dir, 'same.json'), '--metrics', join(dir, 'same.json')], 'give each output its own file'],
    ] as const) {
      const r = await train([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('wgsl-learn train --help lists the options');
      // Refused before any work: no adapter was asked for, nothing was trained.
      expect(r.stdout).not.toMatch(/adapter|epoch/);
    }
    const help = await train(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: wgsl-learn train <data.csv> --target <column> [options]');
  }, 120_000);
});

describe('npm run train:browser', () => {
  it('trains the same way inside headless Chromium on navigator.gpu and writes the same kinds of files', async () => {
    const [model, metrics] = ['browser-model.json', 'browser-metrics.json'].map((f) => join(dir, f));
    const r = await run('cli/train-browser.ts', ['--epochs', '1', '--out', model!, '--metrics', metrics!]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^browser: /m);
    expect(r.stdout).toMatch(/^adapter: .*\(navigator\.gpu/m);
    expect(r.stdout).toMatch(/^epoch 1\/1 /m);
    const m = JSON.parse(readFileSync(metrics!, 'utf8'));
    expect(m.adapter.source).toBe('navigator.gpu');
    expect(m.testAccuracy).toBeGreaterThan(0.8);
    const net = NeuralNetwork.load(ctx, JSON.parse(readFileSync(model!, 'utf8')) as NetworkJSON);
    try {
      expect((await net.cost(digits.test.x, digits.test.y)).accuracy).toBe(m.testAccuracy);
    } finally {
      net.destroy();
    }
    const bad = await run('cli/train-browser.ts', ['--batch', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--batch: expected');
  }, 300_000);
});

describe('npm run predict (wgsl-learn predict)', () => {
  it('a PNG (white on black, 3×) and a PGM (black on white, 2×) of test digits get the library’s own prediction', async () => {
    const net = new NeuralNetwork(ctx, { layers: [400, 25, 10], output: 'softmax', seed: 0 });
    try {
      await net.fit(digits.train.x, digits.train.y, { epochs: 2, batchSize: 100, optimizer: 'adam', lambda: 1 });
      const model = join(dir, 'predict-model.json');
      writeFileSync(model, JSON.stringify(await net.toJSON()));
      const a = digitImage(0, 3, 5, false);
      const b = digitImage(1, 2, 7, true);
      const png = join(dir, 'a.png');
      const pgm = join(dir, 'b.pgm');
      writeFileSync(png, encodePng(a.width, a.height, a.data, { filter: 4 }));
      writeFileSync(pgm, encodePgm(b.width, b.height, b.data));
      const blank = join(dir, 'blank.png'); // an off-white page with nothing on it
      writeFileSync(blank, encodePng(40, 30, new Array(1200).fill(0.94).map((v, i) => v + (i % 7) / 255), { channels: 1 }));
      const r = await predict(['--model', model, png, blank, pgm]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`${blank}: blank (no ink found)`);
      const h = await net.predictProbabilities({ rows: 2, cols: 400, data: digits.test.x.data.slice(0, 800) });
      for (const [k, file] of [png, pgm].entries()) {
        const row = Array.from(h.subarray(10 * k, 10 * k + 10));
        const best = row.indexOf(Math.max(...row));
        // Enlarged and (for the PGM) inverted, the file comes back to the same 20×20 pixels: the same h, to print precision.
        expect(r.stdout).toContain(`${file}: ${best} (${(100 * row[best]!).toFixed(2)} %)`);
      }
      const bad = await predict(['--model', model, join(dir, 'missing.png')]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('missing.png');
      const none = await predict([png]);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('--model');
      // Ten sigmoid units whose biases push σ below float32's range: every output is 0, and the
      // command says so instead of printing a digit (it printed "-1 (NaN %)" and exit 0).
      const saturated = new NeuralNetwork(ctx, { layers: [400, 25, 10], output: 'sigmoid', seed: 0 });
      try {
        const weights = await saturated.getWeights();
        for (let k = 0; k < 10; k++) weights[1]![k * 26] = -200;
        saturated.setWeights(weights);
        const file = join(dir, 'saturated.json');
        writeFileSync(file, JSON.stringify(await saturated.toJSON()));
        const z = await predict(['--model', file, png]);
        expect(z.code).toBe(1);
        expect(z.stderr).toContain(`gives no digit for ${png}: its outputs are all 0`);
        expect(z.stdout).not.toContain('NaN');
      } finally {
        saturated.destroy();
      }
    } finally {
      net.destroy();
    }
  }, 300_000);
});
