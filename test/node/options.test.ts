// Every option of every public function, checked by kind (src/options.ts). The test walks
// OPTION_TABLES — every table the library registers — and for each option tries values of every
// wrong kind (a string for a number, a number for a boolean, null, {}, [], a function, NaN and
// ±∞, a name that is no choice), nested options and list items included, through the public
// function that takes them: each must be refused with an ArgumentError naming that option by
// its path, before anything is allocated (the context's buffers are as before). A table with no
// call here fails the test, so a new options object cannot be added without being tried.

import { tuneMatmul } from '../../src/tune/matmul.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, LinearRegression, LogisticRegression, NeuralNetwork, SoftmaxRegression, costSurface, createContext, createMatmul, gridSearch, imageToDigit, learningCurve, load, trainMany, validationCurve } from '../../src/index.js';
import type { GpuContext } from '../../src/gpu/context.js';
import { TextureUsage } from '../../src/gpu/flags.js';
import { OPTION_TABLES, type OptionKind, type OptionTable } from '../../src/options.js';
import { PlotCanvas, Plotter, drawAxes } from '../../src/plot/index.js';
import { appBuffer } from '../support/gpu.js';

let ctx: GpuContext;
let net: NeuralNetwork;
/** Two fresh networks for trainMany's calls (each call is refused, so they stay fresh). */
let many: NeuralNetwork[] = [];
let made: GPUBuffer[] = [];
let texture: GPUTexture;
let plotter: Plotter;
const X = [[0, 1], [1, 0], [1, 1], [0, 0]];
const Y = [1, 1, 0, 0];

beforeAll(async () => {
  ctx = await createContext();
  net = new NeuralNetwork(ctx, { layers: [2, 3, 2] });
  many = [new NeuralNetwork(ctx, { layers: [2, 3, 2] }), new NeuralNetwork(ctx, { layers: [2, 3, 2] })];
  texture = ctx.device.createTexture({ label: 'test texture', size: [8, 8], format: 'rgba8unorm', usage: TextureUsage.COPY_SRC | TextureUsage.COPY_DST });
  plotter = new Plotter(ctx, 'rgba8unorm');
});

afterAll(() => {
  for (const b of made) b.destroy();
  texture?.destroy();
  plotter?.destroy();
  net?.destroy();
  for (const m of many) m.destroy();
  ctx?.destroy();
});

const buffer = (floats = 64) => {
  const b = appBuffer(ctx, 'test target', floats * 4);
  made.push(b);
  return b;
};
const matrix = (rows: number, cols: number) => ({ buffer: buffer(rows * cols), rows, cols });
const fakeCanvas = {} as HTMLCanvasElement;
const fakeGraphics = {} as CanvasRenderingContext2D;
const rect = { x: 0, y: 0, width: 10, height: 10 };
const json = async () => net.toJSON();

type Call = (o: Record<string, unknown>) => unknown;

/**
 * How each table is reached: calls of the public functions that take it, with `o` merged over a
 * valid base — and, where the argument is not named as the table's own (an item of a list), its name.
 */
const CALLS: Record<string, (Call | { call: Call; who: string })[]> = {
  'fit options': [(o) => net.fit(X, Y, o), (o) => new LinearRegression(ctx).fit(X, Y, o)],
  'LinearRegression options': [(o) => new LinearRegression(ctx, o)],
  'LogisticRegression options': [(o) => new LogisticRegression(ctx, o)],
  'SoftmaxRegression options': [(o) => new SoftmaxRegression(ctx, { classes: 3, ...o })],
  'NeuralNetwork options': [(o) => new NeuralNetwork(ctx, { layers: [2, 3, 2], ...o })],
  'cost, gradient and evaluate options': [(o) => net.cost(X, Y, o), (o) => net.gradient(X, Y, o), (o) => net.gradients(X, Y, o), (o) => net.evaluate(X, Y, o)],
  'gradientCheck options': [(o) => net.gradientCheck(X, Y, o)],
  'predictInto target': [(o) => net.predictInto(X, { buffer: buffer(), ...o })],
  'hiddenInto target': [(o) => net.hiddenInto(X, { layer: 2, buffer: buffer(), ...o } as never), { who: 'target[0]', call: (o: Record<string, unknown>) => net.hiddenInto(X, [{ layer: 2, buffer: buffer(), ...o } as never]) }],
  'costSurface options': [(o) => costSurface(ctx, { x: [1, 2], y: [1, 2], theta0: [0, 1], theta1: [0, 1], cols: 4, rows: 4, ...o }, { buffer: buffer() })],
  'costSurface target': [(o) => costSurface(ctx, { x: [1, 2], y: [1, 2], theta0: [0, 1], theta1: [0, 1], cols: 4, rows: 4 }, { buffer: buffer(), ...o } as never)],
  'imageToDigit options': [(o) => imageToDigit(ctx, texture, { buffer: buffer(400) }, o)],
  'imageToDigit target': [(o) => imageToDigit(ctx, texture, { buffer: buffer(400), ...o } as never)],
  'createContext options': [(o) => createContext(o)],
  'createMatmul options': [(o) => createMatmul(ctx, matrix(2, 2), matrix(2, 2), matrix(2, 2), o)],
  'save target': [(o) => net.save(o as never)],
  'toONNX options': [(o) => net.toONNX(o)],
  'warmUp options': [(o) => net.warmUp(o)],
  'tuneMatmul options': [(o) => tuneMatmul(ctx, [{ m: 2, n: 2, k: 2 }], o)],
  'load source': [(o) => load(ctx, o as never)],
  "load options (NeuralNetwork.load and the regression models' load)": [async (o) => NeuralNetwork.load(ctx, await json(), o)],
  'Plotter.lines options': [(o) => plotter.lines({ rect, x: [0, 1], y: [0, 1], series: [{ buffer: buffer(), count: 4, color: [1, 0, 0] }], ...o } as never)],
  'Plotter.heatmap options': [(o) => plotter.heatmap({ rect, buffer: buffer(), rows: 2, cols: 2, ...o } as never)],
  'Plotter.imageGrid options': [(o) => plotter.imageGrid({ rect, buffer: buffer(), tiles: 1, side: 2, columns: 1, ...o } as never)],
  'Plotter.edges options': [(o) => plotter.edges({ rect, buffer: buffer(), rows: 1, cols: 1, from: [[0, 0]], to: [[1, 1]], ...o } as never)],
  'PlotCanvas options': [(o) => new PlotCanvas(plotter, fakeCanvas, o)],
  'trainMany options': [(o) => trainMany(many, X, Y, o)],
  'gridSearch options': [(o) => gridSearch(() => new LinearRegression(ctx), X, Y, { grid: { lambda: [0] }, folds: 2, ...o })],
  'validationCurve options': [(o) => validationCurve(() => new LinearRegression(ctx), X, Y, { name: 'lambda', values: [0, 1], folds: 2, ...o })],
  'learningCurve options': [(o) => learningCurve(() => new LinearRegression(ctx), X, Y, { sizes: [2], validationSplit: 0.5, ...o })],
  'drawAxes options': [(o) => drawAxes(fakeGraphics, { rect, x: [0, 1], y: [0, 1], ...o } as never)],
};

/** The JavaScript types a kind accepts at its top level. */
function accepts(kind: OptionKind): Set<string> {
  switch (kind.type) {
    case 'oneOf':
      return new Set(kind.kinds.flatMap((k) => [...accepts(k)]));
    case 'boolean':
    case 'number':
    case 'string':
    case 'function':
      return new Set([kind.type]);
    case 'array':
    case 'tuple':
      return new Set(['array']);
    case 'data':
      return new Set(['object', 'array', 'typed']);
    case 'object':
    case 'record':
      return new Set(['object']);
    default:
      return new Set(); // signal, buffer, instance: objects of a shape {} lacks
  }
}

/** Values of every wrong kind for `kind`, each with a name for the failure message. */
function wrongValues(kind: OptionKind): [string, unknown][] {
  const ok = accepts(kind);
  const all: [string, string, unknown][] = [
    ['string', '"x"', 'x'], ['number', '1.5', 1.5], ['number', '7', 7], ['boolean', 'true', true], ['function', 'a function', () => 1],
    ['object', '{}', {}], ['array', '[]', []], ['typed', 'a Float32Array', new Float32Array(2)],
  ];
  const values: [string, unknown][] = all.filter(([type]) => !ok.has(type)).map(([, name, v]) => [name, v]);
  values.push(['null', null]);
  if (ok.has('number')) values.push(['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity]);
  const choices = kind.type === 'string' ? [kind] : kind.type === 'oneOf' ? kind.kinds.filter((k) => k.type === 'string') : [];
  if (choices.length > 0 && choices.every((k) => k.type === 'string' && !k.ok('no-such-choice'))) values.push(['"no-such-choice"', 'no-such-choice']);
  return values;
}

/** Every (path, options object, wrong value) to try for a table: each option, nested options and list items within it. */
function probes(table: OptionTable): { path: string; options: Record<string, unknown>; value: string }[] {
  const out: { path: string; options: Record<string, unknown>; value: string }[] = [];
  const walk = (path: string, kind: OptionKind, wrap: (v: unknown) => unknown) => {
    for (const [name, v] of wrongValues(kind)) out.push({ path, options: wrap(v) as Record<string, unknown>, value: name });
    const inner = kind.type === 'oneOf' ? kind.kinds : [kind];
    for (const k of inner) {
      if (k.type === 'object') for (const [key, sub] of Object.entries(k.table)) walk(`${path}.${key}`, sub, (v) => wrap({ [key]: v }));
      if (k.type === 'array') walk(`${path}[0]`, k.of, (v) => wrap(Array.from({ length: Math.max(1, k.min) }, () => v)));
      if (k.type === 'tuple') walk(`${path}[0]`, k.of[0]!, (v) => wrap(k.of.map(() => v)));
    }
  };
  for (const [key, kind] of Object.entries(table)) walk(key, kind, (v) => ({ [key]: v }));
  return out;
}

async function refusal(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('load: errors name what the caller gave', () => {
  it('a saved model whose shape a constructor refuses names the saved field, never an option the caller did not pass; normalize is the file\'s; a byte order mark is JSON', async () => {
    const saved = await json();
    const softmaxOfOne = { ...saved, head: 'softmax', layers: [2, 1], theta: [0, 0, 0], activations: [] };
    expect(() => NeuralNetwork.load(ctx, softmaxOfOne as never)).toThrow(/^json\.layers: a softmax output needs at least 2 units/);
    expect(() => SoftmaxRegression.load(ctx, { ...softmaxOfOne, format: 'wgsl-learn/regression' } as never)).toThrow(/^json\.layers: /);
    expect(() => NeuralNetwork.load(ctx, saved, { normalize: true })).toThrow(/^options\.normalize: is true, but the saved model was trained without normalisation/);
    const bytes = new TextEncoder().encode(`\uFEFF${JSON.stringify(saved)}`);
    const back = await load(ctx, bytes);
    try {
      expect(back).toBeInstanceOf(NeuralNetwork);
      expect(Array.from(await back.getTheta())).toEqual(Array.from(await net.getTheta()));
    } finally {
      back.destroy();
    }
  });
});

describe('every option of every public function is checked by kind', () => {
  let probed = 0;
  afterAll(() => console.log(`[reliability] options by kind: ${probed} calls refused by name over ${OPTION_TABLES.size} tables`));

  it('every registered table has a call here', () => {
    expect([...OPTION_TABLES.keys()].filter((name) => !CALLS[name])).toEqual([]);
    expect(OPTION_TABLES.size).toBeGreaterThanOrEqual(Object.keys(CALLS).length);
  });

  for (const [name, calls] of Object.entries(CALLS)) {
    it(`${name}: each option with a value of each wrong kind, and each required one missing, is an ArgumentError naming it; nothing is allocated`, async () => {
      const table = OPTION_TABLES.get(name)!;
      expect(table, `no table registered as "${name}"`).toBeDefined();
      const tried = probes(table);
      const failures: string[] = [];
      for (const entry of calls) {
        const { call, who } = typeof entry === 'function' ? { call: entry, who: name.endsWith('target') ? 'target' : name === 'load source' ? 'source' : 'options' } : entry;
        for (const { path, options, value } of tried) {
          const before = ctx.stats();
          const e = await refusal(() => call(options));
          probed++;
          const want = `${who}.${path}`;
          const named = e instanceof ArgumentError && (e.argument === want || e.argument.startsWith(`${want}.`) || e.argument.startsWith(`${want}[`));
          if (!named) failures.push(`${want} = ${value}: ${e instanceof Error ? `${e.name} ${e.message}` : 'accepted'}`);
          expect(ctx.stats(), `${want} = ${value}: buffers were allocated`).toEqual(before);
        }
        // A required option left out (undefined over the valid base).
        for (const [key, kind] of Object.entries(table)) {
          if (!kind.required) continue;
          const e = await refusal(() => call({ [key]: undefined }));
          if (!(e instanceof ArgumentError && e.argument === `${who}.${key}` && /is required/.test(e.message))) failures.push(`${who}.${key} missing: ${e instanceof Error ? e.message : 'accepted'}`);
        }
      }
      expect(failures.slice(0, 10), `${failures.length} of ${tried.length * calls.length} probes not refused by name`).toEqual([]);
      expect(tried.length).toBeGreaterThan(0);
    });
  }
});
