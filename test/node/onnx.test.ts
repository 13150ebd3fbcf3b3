// ONNX export checked by ONNX Runtime (onnxruntime-web, its WebAssembly build, here in Node,
// so installing needs nothing but the npm registry): each model's file loads, and its outputs
// on real inputs match the library's own predictions (h) to 1e-5 — the 2,000 test
// digits for networks with both output layers, the houses and 2-D points for the regression
// models (normalised features included).

import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GpuContext, createContext } from '../../src/gpu/context.js';
import { parseDigits } from '../../src/data/digits.js';
import { HOUSES } from '../../src/data/houses.js';
import { LinearRegression } from '../../src/models/linear.js';
import { LogisticRegression } from '../../src/models/logistic.js';
import { NeuralNetwork } from '../../src/models/network.js';
import { SoftmaxRegression } from '../../src/models/softmax.js';
import { ACTIVATIONS, ACTIVATION_NAMES, type ActivationName } from '../../src/activations.js';
import { loadONNX, readOnnx } from '../../src/export/onnx-load.js';
import { toOnnx } from '../../src/export/onnx.js';
import { ArgumentError } from '../../src/gpu/errors.js';
import fc from 'fast-check';
import { blobs } from '../support/data.js';
import { Random } from '../../src/random.js';

let ctx: GpuContext;
const digits = parseDigits(readFileSync(new URL('../../demo/public/digits-20x20.bin', import.meta.url)));

beforeAll(async () => {
  ctx = await createContext();
});
afterAll(() => ctx?.destroy());

/** Runs the ONNX file on x (m × n) with ONNX Runtime's CPU provider and returns h. */
async function runOnnx(bytes: Uint8Array, x: Float32Array, m: number, n: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    expect(session.inputNames).toEqual(['x']);
    expect(session.outputNames).toEqual(['h']);
    const out = await session.run({ x: new ort.Tensor('float32', x, [m, n]) });
    return out.h!.data as Float32Array;
  } finally {
    await session.release();
  }
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, atol: number, rtol = 0): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) - rtol * Math.abs(want[i]!));
  expect(worst).toBeLessThanOrEqual(atol);
}

describe('ONNX export, run by ONNX Runtime', () => {
  for (const output of ['softmax', 'sigmoid'] as const) {
    it(`400-25-10 (${output} output), trained 2 epochs: h on the 2,000 test digits matches to 1e-5`, async () => {
      const net = new NeuralNetwork(ctx, { layers: [400, 25, 10], output, seed: 3 });
      try {
        await net.fit(digits.train.x, digits.train.y, { epochs: 2, batchSize: 100, optimizer: 'adam', lambda: 1 });
        const want = await net.predictProbabilities(digits.test.x);
        const got = await runOnnx(await net.toONNX(), digits.test.x.data, 2000, 400);
        expectClose(got, want, 1e-5);
      } finally {
        net.destroy();
      }
    }, 120_000);
  }

  it('a network with two hidden layers and normalised inputs', async () => {
    const data = blobs(4, [[0, 0, 5], [3, 1, -2], [-2, 4, 1]], 20, 1);
    const net = new NeuralNetwork(ctx, { layers: [3, 6, 4, 3], output: 'softmax', normalize: true, seed: 1 });
    try {
      await net.fit(data.x, data.y, { epochs: 30, optimizer: 'adam', learningRate: 0.05, batchSize: 10 });
      const x = Float32Array.from(data.x.flat());
      expectClose(await runOnnx(await net.toONNX(), x, 60, 3), await net.predictProbabilities(data.x), 1e-5);
    } finally {
      net.destroy();
    }
  });

  for (const g of ACTIVATION_NAMES) {
    it(`a 3-6-4-3 network of ${g} units: its ONNX form (${[ACTIVATIONS[g].onnx].flat().join('; ')}) runs in ONNX Runtime with the same h to 1e-5, and the file loads back as ${g}`, async () => {
      const data = blobs(9, [[0, 0, 2], [2, 1, -1], [-1, 2, 1]], 15, 1);
      const net = new NeuralNetwork(ctx, { layers: [3, 6, 4, 3], activation: g, output: 'softmax', seed: 5 });
      try {
        await net.fit(data.x, data.y, { epochs: 10, optimizer: 'adam', learningRate: 0.02, batchSize: 9 });
        const bytes = await net.toONNX();
        expectClose(await runOnnx(bytes, Float32Array.from(data.x.flat()), 45, 3), await net.predictProbabilities(data.x), 1e-5);
        const loaded = loadONNX(ctx, bytes) as NeuralNetwork;
        try {
          expect(loaded.activations).toEqual([g, g]);
          expect(Array.from(await loaded.getTheta())).toEqual(Array.from(await net.getTheta()));
        } finally {
          loaded.destroy();
        }
      } finally {
        net.destroy();
      }
    });
  }

  it('the reader takes what the writer writes for an activation and refuses other values by name: an Elu of α = 0.5, a GELU constant changed, an Erf in a file of opset 7 (Erf came in 9)', () => {
    const source = (g: ActivationName) => ({ layers: [3, 4, 2], head: 'softmax' as const, activations: [g], theta: Array.from({ length: 4 * 4 + 2 * 5 }, (_, i) => 0.1 * Math.sin(i + 1)), normalization: null });
    const f32 = (v: number) => Array.from(new Uint8Array(Float32Array.of(v).buffer));
    /** `bytes` with the one occurrence of `from` replaced by `to`. */
    const patch = (bytes: Uint8Array, from: number[], to: number[]) => {
      const at = bytes.findIndex((_, i) => from.every((b, k) => bytes[i + k] === b));
      expect(at).toBeGreaterThanOrEqual(0);
      const out = bytes.slice();
      out.set(to, at);
      return out;
    };
    const elu = toOnnx(source('elu'));
    expect(readOnnx(elu).activations).toEqual(['elu']);
    // AttributeProto.f (field 2, wire type 5: tag 0x15) = 1.0 → 0.5.
    expect(() => readOnnx(patch(elu, [0x15, ...f32(1)], [0x15, ...f32(0.5)]))).toThrow(/Elu\): alpha = 0\.5; the library's elu has alpha = 1/);
    const geluTanh = toOnnx(source('gelu_tanh'));
    expect(readOnnx(geluTanh).activations).toEqual(['gelu_tanh']);
    expect(() => readOnnx(patch(geluTanh, f32(0.044715), f32(0.05)))).toThrow(/its constant is not 0\.044715, as the library's gelu_tanh has/);
    const gelu = toOnnx(source('gelu'));
    expect(readOnnx(gelu).activations).toEqual(['gelu']);
    // OperatorSetIdProto { domain: '', version: 13 } → version 7.
    expect(() => readOnnx(patch(gelu, [0x0a, 0x00, 0x10, 13], [0x0a, 0x00, 0x10, 7]))).toThrow(/\(Erf\) is in ONNX from opset 9; the file imports opset 7/);
  });

  it('a network with a linear output (no head operator): ONNX Runtime gives the same values to 1e-5', async () => {
    const data = blobs(10, [[0, 0], [2, 1]], 20, 1);
    const y = data.x.map(([a, b]) => a! * b!);
    const net = new NeuralNetwork(ctx, { layers: [2, 6, 1], output: 'linear', activation: 'tanh', seed: 6 });
    try {
      await net.fit(data.x, y, { epochs: 20, optimizer: 'adam', learningRate: 0.02, batchSize: 8 });
      expectClose(await runOnnx(await net.toONNX(), Float32Array.from(data.x.flat()), 40, 2), await net.predict(data.x), 1e-5, 1e-5);
    } finally {
      net.destroy();
    }
  });

  it('linear regression on the houses (normalised): predicted prices match to 1e-5 relative', async () => {
    const model = new LinearRegression(ctx);
    try {
      await model.fit(HOUSES.x, HOUSES.y, { epochs: 200, learningRate: 0.1 });
      const want = await model.predict(HOUSES.x);
      const got = await runOnnx(await model.toONNX(), Float32Array.from(HOUSES.x.flat()), 5, 2);
      expectClose(got, want, 0, 1e-5);
    } finally {
      model.destroy();
    }
  });

  it('logistic and softmax regression on 2-D points: probabilities match to 1e-5', async () => {
    const two = blobs(7, [[-1, 0], [1.5, 1]], 25, 1.2);
    const three = blobs(8, [[-2, -1], [2, -1], [0, 2]], 20, 1.2);
    const logistic = new LogisticRegression(ctx);
    const softmax = new SoftmaxRegression(ctx, { classes: 3 });
    try {
      await logistic.fit(two.x, two.y, { epochs: 100, learningRate: 0.5 });
      await softmax.fit(three.x, three.y, { epochs: 100, learningRate: 0.5 });
      expectClose(await runOnnx(await logistic.toONNX(), Float32Array.from(two.x.flat()), 50, 2), await logistic.predictProbability(two.x), 1e-5);
      expectClose(await runOnnx(await softmax.toONNX(), Float32Array.from(three.x.flat()), 60, 2), await softmax.predictProbabilities(three.x), 1e-5);
    } finally {
      logistic.destroy();
      softmax.destroy();
    }
  });
});

describe('polynomial features in ONNX (Gather, Mul, Concat in front)', () => {
  it('a network and logistic regression with polynomial features: ONNX Runtime gives the same h to 1e-5 on raw x, and loadONNX gives the same model back, map and all', async () => {
    const rng = new Random(5);
    const x = Array.from({ length: 60 }, () => [2 * rng.next() - 1, 2 * rng.next() - 1, rng.next()]);
    const y = x.map(([a, b]) => Number(a! * a! + b! * b! < 0.5));
    const models = [
      new NeuralNetwork(ctx, { layers: [3, 5, 2], activation: 'tanh', output: 'softmax', polynomial: 3, normalize: true, seed: 2 }),
      new LogisticRegression(ctx, { polynomial: 2 }),
    ];
    try {
      for (const model of models) {
        await model.fit(x, y, { epochs: 30, learningRate: 0.1 });
        const want = model instanceof NeuralNetwork ? await model.predictProbabilities(x) : await (model as LogisticRegression).predictProbability(x);
        const bytes = await model.toONNX();
        const got = await runOnnx(bytes, Float32Array.from(x.flat()), 60, 3);
        expectClose(got, want, 1e-5);
        expect(readOnnx(bytes).polynomial).toEqual({ degree: model instanceof NeuralNetwork ? 3 : 2, inputs: 3 });
        const back = loadONNX(ctx, bytes);
        try {
          expect(back.constructor).toBe(model.constructor);
          expect(back.features).toBe(3);
          expect(Array.from(await back.getTheta())).toEqual(Array.from(await model.getTheta()));
          const again = back instanceof NeuralNetwork ? await back.predictProbabilities(x) : await (back as LogisticRegression).predictProbability(x);
          expect(Array.from(again)).toEqual(Array.from(want));
        } finally {
          back.destroy();
        }
      }
    } finally {
      for (const m of models) m.destroy();
    }
  });

  it('a map that is not the one the library writes (a column changed, a term left out) is refused by name, as ONNX Runtime would compute something else', async () => {
    const net = new NeuralNetwork(ctx, { layers: [2, 3, 2], output: 'softmax', polynomial: 2 });
    try {
      const bytes = await net.toONNX();
      const text = Buffer.from(bytes);
      // The first index tensor of degree 2 holds [0, 0, 1] as int64: make its last column 0.
      const at = text.indexOf(Buffer.from(BigInt64Array.from([0n, 0n, 1n]).buffer));
      expect(at).toBeGreaterThan(0);
      const changed = Uint8Array.from(text);
      changed[at + 16] = 0;
      expect(() => readOnnx(changed)).toThrow(/^onnx: node \d+ is "Gather"/);
    } finally {
      net.destroy();
    }
  });
});

describe('ONNX files read back (loadONNX)', () => {
  it('every kind of model comes back from its ONNX file with the same h, exactly', async () => {
    const three = blobs(8, [[-2, -1], [2, -1], [0, 2]], 20, 1.2);
    const made = [
      new NeuralNetwork(ctx, { layers: [2, 6, 4, 3], output: 'softmax', normalize: true, seed: 1 }),
      new NeuralNetwork(ctx, { layers: [2, 5, 3], seed: 2 }),
      new NeuralNetwork(ctx, { layers: [2, 5, 1], seed: 3 }),
      new SoftmaxRegression(ctx, { classes: 3 }),
      new LogisticRegression(ctx),
      new LinearRegression(ctx),
      new NeuralNetwork(ctx, { layers: [2, 4, 1], output: 'linear', activation: 'relu', seed: 4 }),
    ];
    try {
      for (const [i, model] of made.entries()) {
        const y = i === 2 || i === 4 ? three.y.map((v) => (v === 0 ? 1 : 0)) : i >= 5 ? three.x.map((r) => r[0]! + 2 * r[1]!) : three.y;
        await model.fit(three.x, y as number[], { epochs: 20, learningRate: 0.1 });
        const loaded = loadONNX(ctx, await model.toONNX());
        try {
          expect(loaded.constructor).toBe(model.constructor);
          expect(Array.from(await loaded.getTheta())).toEqual(Array.from(await model.getTheta()));
          expect(await loaded.getNormalization()).toEqual(await model.getNormalization());
        } finally {
          loaded.destroy();
        }
      }
    } finally {
      for (const m of made) m.destroy();
    }
  });

  it('what a model knows survives ONNX: its class (a network without hidden layers stays a network), its labels (predict returns species names), the app\'s metadata; ONNX Runtime runs the file', async () => {
    const three = blobs(8, [[-2, -1], [2, -1], [0, 2]], 20, 1.2);
    const species = ['setosa', 'versicolor', 'virginica'];
    const labels = three.y.map((k) => species[k]!);
    const made = [
      new NeuralNetwork<string>(ctx, { layers: [2, 3], output: 'softmax', classes: species, seed: 1 }),
      new SoftmaxRegression<string>(ctx, { classes: species }),
      new NeuralNetwork<string>(ctx, { layers: [2, 4, 1], classes: ['no', 'yes'], seed: 2 }),
      new LogisticRegression<number>(ctx, { classes: [7, 9] }),
    ];
    try {
      for (const [i, model] of made.entries()) {
        const y = i === 2 ? three.y.map((k) => (k === 0 ? 'yes' : 'no')) : i === 3 ? three.y.map((k) => (k === 0 ? 9 : 7)) : labels;
        await model.fit(three.x, y as never, { epochs: 20, learningRate: 0.1 });
        const bytes = await model.toONNX({ metadata: { 'app.note': 'trained on blobs' } });
        const loaded = loadONNX(ctx, bytes);
        try {
          expect(loaded.constructor).toBe(model.constructor);
          expect(loaded.labels).toEqual(model.labels);
          expect(await loaded.predict(three.x)).toEqual(await model.predict(three.x));
          expect(readOnnx(bytes).metadata['app.note']).toBe('trained on blobs');
          const h = await runOnnx(bytes, Float32Array.from(three.x.flat()), three.x.length, 2);
          expect(h.length).toBe(three.x.length * model.outputs);
        } finally {
          loaded.destroy();
        }
      }
      // The library's entries are checked like a JSON file's fields.
      const json = await made[0]!.toJSON();
      for (const [classes, message] of [['["a", "b"]', 'json.classes'], ['not json', 'not a JSON list'], ['{"a": 1}', 'not a JSON list']] as const) {
        const bad = toOnnx({ ...json, classes: undefined }, 'x', undefined, { 'wgsl-learn.classes': classes });
        expect(() => loadONNX(ctx, bad), classes).toThrow(message);
      }
      await expect(made[0]!.toONNX({ metadata: { n: 1 } as never })).rejects.toThrow(/options\.metadata\.n: must be a string/);
    } finally {
      for (const m of made) m.destroy();
    }
  });

  it('hostile and broken files (fast-check, 500 runs: random bytes, truncations, flipped bytes, huge declared sizes) give an ArgumentError and allocate nothing', async () => {
    const net = new NeuralNetwork(ctx, { layers: [4, 3, 2], output: 'softmax', normalize: true, seed: 4 });
    net.setTheta(Array.from({ length: 3 * 5 + 2 * 4 }, (_, i) => Math.sin(i)), { mean: [0, 1, 2, 3], std: [1, 2, 3, 4] });
    const good = await net.toONNX();
    net.destroy();
    const before = ctx.stats();
    const file = fc.oneof(
      fc.uint8Array({ maxLength: 400 }),
      fc.nat(good.length - 1).map((n) => good.slice(0, n)),
      fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }).map((flips) => {
        const b = good.slice();
        for (const [at, v] of flips) b[at] = v;
        return b;
      }),
      // A length prefix claiming 2 GB, and a varint that never ends.
      fc.constant(Uint8Array.from([0x3a, 0xff, 0xff, 0xff, 0xff, 0x07, 1, 2, 3])),
      fc.constant(new Uint8Array(64).fill(0xff)),
    );
    let refused = 0;
    fc.assert(
      fc.property(file, (bytes) => {
        try {
          loadONNX(ctx, bytes).destroy(); // a flip in a weight still makes a valid model
        } catch (e) {
          if (!(e instanceof ArgumentError)) throw new Error(`not an ArgumentError: ${String(e)}`);
          refused++;
        }
        const now = ctx.stats();
        if (now.buffers !== before.buffers) throw new Error(`${now.buffers - before.buffers} buffers left`);
      }),
      { numRuns: 500, seed: 5 },
    );
    expect(refused).toBeGreaterThan(300);
  });
});
