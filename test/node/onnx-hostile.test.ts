// The ONNX reader judged by ONNX Runtime. The rule: a file the library reads must also run in
// ONNX Runtime with the same outputs, and a well-formed file of the kinds the library writes must
// not be refused. The test writes variants of one network (3 features normalised, a tanh hidden
// layer of 4, a softmax head of 2) with its own writer — tensors as raw_data or float_data
// (packed or not), signed attributes, every opset, operators named with their domain or from
// another, attributes of the wrong type, a declared input width that disagrees — and byte-level
// corruptions of the library's own file, and checks each against ONNX Runtime.

import * as ort from 'onnxruntime-web';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GpuContext, createContext } from '../../src/gpu/context.js';
import { ArgumentError } from '../../src/gpu/errors.js';
import { loadONNX } from '../../src/export/onnx-load.js';
import { Message } from '../../src/export/protobuf.js';
import { NeuralNetwork } from '../../src/models/network.js';

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await createContext();
});
afterAll(() => ctx?.destroy());

const X = Float32Array.from([0.5, -1, 2, 1.5, 0, -0.25, -2, 3, 1]);
const M = 3;

interface Variant {
  opset?: number;
  /** The domain written on every node ('' omits it). */
  domain?: string;
  gemmDomain?: string;
  floats?: 'raw' | 'packed' | 'unpacked';
  /** Softmax's axis: absent, or a value (written as a signed int64). */
  axis?: number;
  /** transB as an INT (the library's way) or a FLOAT attribute. */
  transB?: 'int' | 'float';
  /** Gemm's alpha and beta written out (as the FLOATs 1.0 ONNX defines them). */
  alphaBeta?: boolean;
  /** The input's declared feature count (3 is right; −1: a named dimension; null: no shape given). */
  width?: number | null;
}

const mean = [0.1, -0.2, 0.3];
const std = [1.5, 0.5, 2];
const W1 = Array.from({ length: 12 }, (_, i) => Math.sin(i + 1));
const b1 = [0.1, -0.1, 0.2, 0];
const W2 = Array.from({ length: 8 }, (_, i) => Math.cos(i + 2));
const b2 = [0.05, -0.05];

function tensor(name: string, dims: number[], values: number[], floats: Variant['floats']): Message {
  const t = new Message().ints(1, dims).int(2, 1).bytes(8, name);
  const raw = new Uint8Array(Float32Array.from(values).buffer);
  if (floats === 'packed') return t.bytes(4, raw);
  if (floats === 'unpacked') {
    for (const v of values) t.float(4, v);
    return t;
  }
  return t.bytes(9, raw);
}

function node(op: string, inputs: string[], outputs: string[], domain: string, attributes: Message[] = []): Message {
  const m = new Message();
  for (const i of inputs) m.bytes(1, i);
  for (const o of outputs) m.bytes(2, o);
  m.bytes(4, op);
  for (const a of attributes) m.bytes(5, a);
  if (domain) m.bytes(7, domain);
  return m;
}

function valueInfo(name: string, width: number | null | undefined): Message {
  const shape = new Message().bytes(1, new Message().bytes(2, 'batch'));
  if (width === -1) shape.bytes(1, new Message().bytes(2, 'features'));
  else if (width !== null && width !== undefined) shape.bytes(1, new Message().int(1, width));
  const type = new Message().int(1, 1);
  if (width !== null) type.bytes(2, shape);
  return new Message().bytes(1, name).bytes(2, new Message().bytes(1, type));
}

/** The network as an ONNX file, written the way `v` says. */
function write(v: Variant = {}): Uint8Array {
  const d = v.domain ?? '';
  const transB = v.transB === 'float' ? new Message().bytes(1, 'transB').float(2, 1).int(20, 1) : new Message().bytes(1, 'transB').int(3, 1).int(20, 2);
  const gemmAttributes = [transB, ...(v.alphaBeta ? [new Message().bytes(1, 'alpha').float(2, 1).int(20, 1), new Message().bytes(1, 'beta').float(2, 1).int(20, 1)] : [])];
  const softmaxAttributes = v.axis === undefined ? [] : [new Message().bytes(1, 'axis').int(3, BigInt(v.axis)).int(20, 2)];
  const graph = new Message();
  for (const n of [
    node('Sub', ['x', 'mean'], ['c'], d),
    node('Div', ['c', 'std'], ['xn'], d),
    node('Gemm', ['xn', 'W1', 'b1'], ['z2'], v.gemmDomain ?? d, gemmAttributes),
    node('Tanh', ['z2'], ['a2'], d),
    node('Gemm', ['a2', 'W2', 'b2'], ['z3'], v.gemmDomain ?? d, gemmAttributes),
    node('Softmax', ['z3'], ['h'], d, softmaxAttributes),
  ]) graph.bytes(1, n);
  graph.bytes(2, 'variant');
  for (const t of [tensor('mean', [3], mean, v.floats), tensor('std', [3], std, v.floats), tensor('W1', [4, 3], W1, v.floats), tensor('b1', [4], b1, v.floats), tensor('W2', [2, 4], W2, v.floats), tensor('b2', [2], b2, v.floats)]) graph.bytes(5, t);
  graph.bytes(11, valueInfo('x', v.width === undefined ? 3 : v.width));
  graph.bytes(12, valueInfo('h', 2));
  return new Message().int(1, 8).bytes(2, 'a test').bytes(7, graph).bytes(8, new Message().bytes(1, '').int(2, v.opset ?? 13)).finish();
}

/** ONNX Runtime's h on X, or null when it refuses the file. */
async function runtime(bytes: Uint8Array): Promise<Float32Array | null> {
  let session: ort.InferenceSession;
  try {
    // Files it refuses are the point here: no warnings about them.
    session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
  } catch {
    return null;
  }
  try {
    const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', X, [M, 3]) });
    return out[session.outputNames[0]!]!.data as Float32Array;
  } catch {
    return null;
  } finally {
    await session.release();
  }
}

/** The library's h on X, or null when it refuses the file (only ever with an ArgumentError). */
async function library(bytes: Uint8Array): Promise<Float64Array | null> {
  let model;
  try {
    model = loadONNX(ctx, bytes);
  } catch (e) {
    if (!(e instanceof ArgumentError)) throw new Error(`not an ArgumentError: ${String(e)}`);
    return null;
  }
  try {
    return await (model as NeuralNetwork).predictProbabilities({ rows: M, cols: 3, data: X });
  } finally {
    model.destroy();
  }
}

/** Checks the rule for one file; returns whether the library read it. */
async function judge(bytes: Uint8Array, what: string): Promise<boolean> {
  const [ours, theirs] = [await library(bytes), await runtime(bytes)];
  if (ours) {
    expect(theirs, `${what}: the library reads it, ONNX Runtime refuses it`).not.toBeNull();
    ours.forEach((v, i) => expect(Math.abs(v - theirs![i]!), `${what}: h[${i}]`).toBeLessThan(1e-5));
  }
  return ours !== null;
}

describe('ONNX reader = ONNX Runtime', () => {
  const wellFormed: [string, Variant][] = [
    ['as the library writes it', {}],
    ['float_data, packed', { floats: 'packed' }],
    ['float_data, one field per value', { floats: 'unpacked' }],
    ['Softmax axis = -1 (a signed int64)', { axis: -1 }],
    ['Softmax axis = 1', { axis: 1 }],
    ['operators named with their domain, ai.onnx', { domain: 'ai.onnx' }],
    ['no input shape declared', { width: null }],
    ['a named (symbolic) feature dimension', { width: -1 }],
    ['Gemm alpha = beta = 1.0 written out', { alphaBeta: true }],
    ...[7, 9, 11, 13, 17, 21, 25].map((opset): [string, Variant] => [`opset ${opset}`, { opset }]),
  ];
  for (const [what, v] of wellFormed) {
    it(`reads a well-formed file: ${what}`, async () => {
      expect(await judge(write(v), what), `${what}: a well-formed file is refused`).toBe(true);
    });
  }

  const refused: [string, Variant][] = [
    ['Gemm from another domain', { gemmDomain: 'com.example' }],
    ['transB written as a FLOAT', { transB: 'float' }],
    ['opset 6', { opset: 6 }],
    ['opset 1', { opset: 1 }],
    ['a declared input width of 4 for 3 features', { width: 4 }],
  ];
  for (const [what, v] of refused) {
    it(`refuses what ONNX Runtime would not run as the library does: ${what}`, async () => {
      expect(await judge(write(v), what)).toBe(false);
    });
  }

  it('the library’s own file, corrupted byte by byte: whatever it still reads runs in ONNX Runtime with the same outputs', async () => {
    const net = new NeuralNetwork(ctx, { layers: [3, 4, 2], output: 'softmax', activation: 'tanh', normalize: true, seed: 4 });
    net.setTheta(Array.from({ length: 26 }, (_, i) => Math.sin(i)), { mean, std });
    const base = await net.toONNX();
    net.destroy();
    let read = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(base.length - 1), fc.integer({ min: 1, max: 255 }), async (at, xor) => {
        const bad = Uint8Array.from(base);
        bad[at]! ^= xor;
        if (await judge(bad, `byte ${at} ^ ${xor}`)) read++;
      }),
      { numRuns: 3000, seed: 15 },
    );
    expect(read).toBeGreaterThan(0); // corruptions of the floats are read: both readers must agree on them
  }, 300_000);
});
