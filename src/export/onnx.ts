// ONNX export of every model: the dense stack as Gemm nodes (Y = A·Bᵀ + C with B = Θ⁽ˡ⁾ less
// its bias column, C = the bias column), each hidden layer's activation between layers (its
// form from the registry, src/activations.ts: Sigmoid, Tanh, Relu …, or steps such as swish's
// Sigmoid and Mul: ./onnx-activations.ts), and the head — Sigmoid
// (logistic regression, K one-vs-all units), Softmax, or nothing (linear regression). A model
// that normalises its features starts with Sub(μ) and Div(σ), and before that, with polynomial
// features, the Gather/Mul/Concat nodes that compute them (./onnx-polynomial.ts). Opset 13, float32, input "x" of
// shape [batch, n], output "h" of shape [batch, K]: what predictProbabilities (or linear
// regression's predict) returns. The file is written with ./protobuf.ts, following onnx.proto.

import type { ActivationName } from '../activations.js';
import { ThetaLayout } from '../models/layout.js';
import type { HeadName } from '../reference/regression.js';
import { Message } from './protobuf.js';
import { activationNodes } from './onnx-activations.js';
import { polynomialNodes } from './onnx-polynomial.js';

/** The metadata entries (ModelProto.metadata_props) the library writes and reads back: what Θ alone does not say. */
export const ONNX_METADATA = {
  /** 'wgsl-learn/network' or 'wgsl-learn/regression': the class load() makes. */
  format: 'wgsl-learn.format',
  /** A classifier's labels, as JSON: what predict() returns. */
  classes: 'wgsl-learn.classes',
} as const;

/** What the export needs of a model: its saved form (DenseJSON). */
export interface OnnxSource {
  format?: string;
  classes?: readonly unknown[];
  layers: readonly number[];
  head: HeadName;
  /** g of each hidden layer; default sigmoid throughout. */
  activations?: readonly ActivationName[];
  theta: ArrayLike<number>;
  normalization: { mean: ArrayLike<number>; std: ArrayLike<number> } | null;
  polynomial?: { degree: number; inputs: number };
}

const FLOAT = 1; // TensorProto.DataType.FLOAT
const INT64 = 7; // TensorProto.DataType.INT64
const ATTRIBUTE_FLOAT = 1; // AttributeProto.AttributeType.FLOAT
const ATTRIBUTE_INT = 2; // AttributeProto.AttributeType.INT
const OPSET = 13;
const IR_VERSION = 7; // the IR version of opset 13

function tensor(name: string, dims: number[], values: ArrayLike<number>): Message {
  const raw = Float32Array.from(values);
  return new Message().ints(1, dims).int(2, FLOAT).bytes(8, name).bytes(9, new Uint8Array(raw.buffer));
}

/** A 1-D INT64 tensor (polynomial features' columns), raw_data little-endian. */
function indexTensor(name: string, values: readonly number[]): Message {
  const raw = BigInt64Array.from(values, (v) => BigInt(v));
  return new Message().ints(1, [values.length]).int(2, INT64).bytes(8, name).bytes(9, new Uint8Array(raw.buffer));
}

/** ValueInfoProto of a float tensor [batch, size]; the batch is a named free dimension. */
function valueInfo(name: string, size: number): Message {
  const shape = new Message().bytes(1, new Message().bytes(2, 'batch')).bytes(1, new Message().int(1, size));
  const tensorType = new Message().int(1, FLOAT).bytes(2, shape);
  return new Message().bytes(1, name).bytes(2, new Message().bytes(1, tensorType));
}

/** A node; an attribute is an INT unless given as { value, float: true }. */
function node(op: string, name: string, inputs: string[], outputs: string[], attributes: Record<string, number | { value: number; float: boolean }> = {}): Message {
  const m = new Message();
  for (const i of inputs) m.bytes(1, i);
  for (const o of outputs) m.bytes(2, o);
  m.bytes(3, name).bytes(4, op);
  for (const [key, a] of Object.entries(attributes)) {
    const { value, float } = typeof a === 'number' ? { value: a, float: false } : a;
    const attribute = new Message().bytes(1, key);
    m.bytes(5, float ? attribute.float(2, value).int(20, ATTRIBUTE_FLOAT) : attribute.int(3, value).int(20, ATTRIBUTE_INT));
  }
  return m;
}

/** The model as an ONNX file's bytes. */
export function toOnnx(model: OnnxSource, graphName = 'wgsl-learn', producerVersion = '0.1.0', metadata: Record<string, string> = {}): Uint8Array {
  const { layers, head, theta, normalization } = model;
  const graph = new Message();
  const nodes: Message[] = [];
  const initializers: Message[] = [];
  let current = 'x';
  if (model.polynomial) {
    const map = polynomialNodes(model.polynomial, 'x');
    for (const n of map.nodes) nodes.push(node(n.op, n.name, n.inputs, n.outputs, n.attributes));
    for (const t of map.indices) initializers.push(indexTensor(t.name, t.values));
    current = map.output;
  }
  if (normalization) {
    initializers.push(tensor('mean', [layers[0]!], normalization.mean), tensor('std', [layers[0]!], normalization.std));
    nodes.push(node('Sub', 'normalise: x − μ', [current, 'mean'], ['x_centred']), node('Div', 'normalise: ÷ σ', ['x_centred', 'std'], ['x_normalised']));
    current = 'x_normalised';
  }
  for (const [l, block] of new ThetaLayout(layers).blocks.entries()) {
    const { offset: at, rows: next, cols } = block;
    const s = cols - 1;
    const weights = new Float32Array(next * s);
    const bias = new Float32Array(next);
    for (let k = 0; k < next; k++) {
      bias[k] = theta[at + k * cols]!;
      for (let j = 0; j < s; j++) weights[k * s + j] = theta[at + k * cols + 1 + j]!;
    }
    const n = l + 1;
    initializers.push(tensor(`theta${n}`, [next, s], weights), tensor(`theta${n}_bias`, [next], bias));
    const last = l + 2 === layers.length;
    const z = last && head === 'linear' ? 'h' : `z${n + 1}`;
    nodes.push(node('Gemm', `z${n + 1} = a${n}·Θ${n}ᵀ + bias`, [current, `theta${n}`, `theta${n}_bias`], [z], { transB: 1 }));
    if (!last) {
      const g = model.activations?.[l] ?? 'sigmoid';
      const form = activationNodes(g, z, `a${n + 1}`);
      for (const c of form.constants) initializers.push(tensor(c.name, [1], [c.value]));
      for (const f of form.nodes) nodes.push(node(f.op, f.name, f.inputs, f.outputs, f.attributes));
      current = `a${n + 1}`;
    } else if (head === 'softmax') nodes.push(node('Softmax', 'h = softmax(z)', [z], ['h'], { axis: 1 }));
    else if (head !== 'linear') nodes.push(node('Sigmoid', 'h = σ(z)', [z], ['h']));
  }
  for (const n of nodes) graph.bytes(1, n);
  graph.bytes(2, graphName);
  for (const t of initializers) graph.bytes(5, t);
  graph.bytes(11, valueInfo('x', model.polynomial?.inputs ?? layers[0]!));
  graph.bytes(12, valueInfo('h', layers[layers.length - 1]!));
  const file = new Message()
    .int(1, IR_VERSION)
    .bytes(2, 'wgsl-learn')
    .bytes(3, producerVersion)
    .bytes(7, graph)
    .bytes(8, new Message().bytes(1, '').int(2, OPSET));
  const entries = { ...metadata, ...(model.format ? { [ONNX_METADATA.format]: model.format } : {}), ...(model.classes ? { [ONNX_METADATA.classes]: JSON.stringify(model.classes) } : {}) };
  for (const [key, value] of Object.entries(entries)) file.bytes(14, new Message().bytes(1, key).bytes(2, value));
  return file.finish();
}
