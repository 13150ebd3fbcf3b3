// Reading back the ONNX files this library writes (./onnx.ts): Gemm layers (transB = 1) with a
// registered activation's operator between them (src/activations.ts), a Sigmoid or Softmax head or none, an optional Sub/Div input
// normalisation, and in front of it optional polynomial features (./onnx-polynomial.ts). A file is untrusted: every length is checked against the bytes present
// (./protobuf.ts), every tensor's declared dims against its data, the graph against the shape
// the library writes — and the model is built only from what was checked, through the same
// checks as a JSON file (src/models/saved.ts). The rule, tested against ONNX Runtime: a file
// read here runs there with the same outputs — so operators of another domain, attributes of
// the wrong type, an opset before 7 (which ONNX Runtime cannot run) or a declared input width
// that disagrees with Θ are refused — and a well-formed file of these kinds is not refused,
// whether its tensors hold raw_data or float_data and its ints are written signed (axis = −1).

import type { ActivationName } from '../activations.js';
import { matchActivation } from './onnx-activations.js';
import type { GpuContext } from '../gpu/context.js';
import { ArgumentError } from '../gpu/errors.js';
import { LinearRegression } from '../models/linear.js';
import { LogisticRegression } from '../models/logistic.js';
import { NeuralNetwork } from '../models/network.js';
import type { RegressionJSON } from '../models/regression.js';
import { SoftmaxRegression } from '../models/softmax.js';
import type { HeadName } from '../reference/regression.js';
import { checkOnnxStructure } from './onnx-schema.js';
import { ONNX_METADATA } from './onnx.js';
import type { Label } from '../train/labels.js';
import { type Field, readFields } from './protobuf.js';
import { readTensor } from './onnx-tensors.js';
import { readPolynomial } from './onnx-polynomial.js';
import { checkPolynomial } from '../features/polynomial.js';

const fail = (message: string) => new ArgumentError('onnx', message);
const decoder = new TextDecoder('utf-8', { fatal: false });

const strings = (fields: Field[], n: number) => fields.filter((f) => f.field === n && f.wire === 2).map((f) => decoder.decode(f.value as Uint8Array));
const messages = (fields: Field[], n: number) => fields.filter((f) => f.field === n && f.wire === 2).map((f) => f.value as Uint8Array);
const int = (fields: Field[], n: number) => fields.find((f) => f.field === n && f.wire === 0)?.value as number | undefined;
/** The opsets of the default domain whose Gemm, Sigmoid, Tanh, Relu, Identity, Softmax (on [batch, K]), Sub and Div mean what they do in 13. */
const OPSETS = { min: 7, max: 25 };
/** The newest ONNX IR version read (what ONNX Runtime 1.30 loads). */
const MAX_IR_VERSION = 13;
const DEFAULT_DOMAINS = ['', 'ai.onnx'];
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_FLOAT = 1;
/** The attributes of each operator the library reads, and their types. */
const ATTRIBUTES: Record<string, Record<string, number>> = {
  Gemm: { alpha: ATTRIBUTE_FLOAT, beta: ATTRIBUTE_FLOAT, transA: ATTRIBUTE_INT, transB: ATTRIBUTE_INT },
  Softmax: { axis: ATTRIBUTE_INT },
  Gather: { axis: ATTRIBUTE_INT },
  Concat: { axis: ATTRIBUTE_INT },
  Elu: { alpha: ATTRIBUTE_FLOAT },
};

interface Node {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes: Map<string, number>;
}

function readNode(bytes: Uint8Array, i: number): Node {
  const f = readFields(bytes, `node ${i}`, fail);
  const op = strings(f, 4)[0] ?? '';
  const domain = strings(f, 7)[0] ?? '';
  if (!DEFAULT_DOMAINS.includes(domain)) throw fail(`node ${i} (${op}) is from the operator domain ${JSON.stringify(domain)}; the library reads ONNX's own operators`);
  const attributes = new Map<string, number>();
  const known = ATTRIBUTES[op] ?? {};
  for (const a of messages(f, 5)) {
    const af = readFields(a, `node ${i} attribute`, fail);
    const name = strings(af, 1)[0] ?? '';
    // Only the operator's own attributes, each of its own type, as ONNX Runtime insists.
    const type = Object.hasOwn(known, name) ? known[name] : undefined;
    if (type === undefined) throw fail(`node ${i} (${op}) has an attribute ${JSON.stringify(name)} that ${op} does not take`);
    const value = type === ATTRIBUTE_INT ? int(af, 3) : (af.find((x) => x.field === 2 && x.wire === 5)?.value as number | undefined);
    if (int(af, 20) !== type || value === undefined) throw fail(`node ${i} (${op}): attribute ${JSON.stringify(name)} is not ${type === ATTRIBUTE_INT ? 'an INT' : 'a FLOAT'}`);
    attributes.set(name, value);
  }
  const inputs = strings(f, 1);
  const outputs = strings(f, 2);
  // Each operator the library reads takes this many inputs and gives one output (ONNX Runtime checks the same).
  const arity = op === 'Gemm' ? 3 : ['Sub', 'Div', 'Gather', 'Mul', 'Add'].includes(op) ? 2 : op === 'Concat' ? Math.max(2, inputs.length) : 1;
  if (inputs.length !== arity || outputs.length !== 1) throw fail(`node ${i} (${op}) has ${inputs.length} inputs and ${outputs.length} outputs; the library reads ${arity} and 1`);
  return { op, inputs, outputs, attributes };
}

/** Operators the library reads that came after opset 7, and the opset each came in: a file of an older opset that uses one is refused, as ONNX Runtime refuses it. */
const SINCE: Record<string, number> = { Erf: 9 };

/** The default domain's opset the file imports: one from 7 to 25 (what ONNX Runtime runs, with the semantics the library reads). */
function checkOpset(model: Field[]): number {
  const ir = int(model, 1);
  if (ir === undefined) throw fail('the file declares no ONNX IR version');
  if (ir > MAX_IR_VERSION) throw fail(`the file is of ONNX IR version ${ir}, newer than the ${MAX_IR_VERSION} the library reads`);
  const imports = messages(model, 8).map((b) => readFields(b, 'an opset import', fail));
  const own = imports.filter((o) => DEFAULT_DOMAINS.includes(strings(o, 1)[0] ?? ''));
  const version = own.length === 1 ? int(own[0]!, 2) : undefined;
  if (version === undefined || version < OPSETS.min || version > OPSETS.max) {
    throw fail(`the file imports ${own.length === 1 ? `opset ${version}` : `${own.length} default-domain opsets`} of ONNX; the library reads one opset from ${OPSETS.min} to ${OPSETS.max}`);
  }
  return version;
}

/**
 * The declared width of one of the graph's inputs or outputs ([batch, size]) when it is a number;
 * a declared element type other than FLOAT, another rank, or a fixed batch size is refused.
 */
function declaredWidth(info: Uint8Array, what: string): number | undefined {
  const tensorType = messages(readFields(messages(readFields(info, what, fail), 2)[0] ?? new Uint8Array(0), `${what} type`, fail), 1)[0];
  if (!tensorType) throw fail(`${what} declares no tensor type (ONNX Runtime needs one)`);
  const t = readFields(tensorType, `${what} tensor type`, fail);
  const element = int(t, 1);
  if (element !== 1) throw fail(`${what} is of element type ${element ?? 'none'}, not FLOAT (1)`);
  const shape = messages(t, 2)[0];
  if (!shape) return undefined;
  const dims = messages(readFields(shape, `${what} shape`, fail), 1).map((d) => readFields(d, `${what} dim`, fail));
  if (dims.length !== 2) throw fail(`${what} has ${dims.length} dims; the library reads [batch, size]`);
  if (int(dims[0]!, 1) !== undefined) throw fail(`${what} has a fixed batch of ${int(dims[0]!, 1)}; the library's models take any number of examples`);
  return int(dims[1]!, 1);
}

/** What readOnnx finds: the saved-model data of the graph. */
export interface OnnxModel {
  layers: number[];
  head: HeadName;
  activations: ActivationName[];
  theta: number[];
  normalization: { mean: number[]; std: number[] } | null;
  /** Polynomial features in front: x's width and their degree. */
  polynomial?: { degree: number; inputs: number };
  /** The model's class, as the library wrote it (absent in files of other writers). */
  format?: 'wgsl-learn/network' | 'wgsl-learn/regression';
  /** A classifier's labels, as the library wrote them (checked by load() like a JSON file's). */
  classes?: unknown[];
  /** Every metadata entry of the file (ModelProto.metadata_props), the library's and the app's. */
  metadata: Record<string, string>;
}

/** The library's own metadata entries, read back: the model's class and its labels. */
function libraryMetadata(metadata: Record<string, string>): Pick<OnnxModel, 'format' | 'classes'> {
  const out: Pick<OnnxModel, 'format' | 'classes'> = {};
  const format = metadata[ONNX_METADATA.format];
  if (format !== undefined) {
    if (format !== 'wgsl-learn/network' && format !== 'wgsl-learn/regression') throw fail(`metadata ${ONNX_METADATA.format} is ${JSON.stringify(format.slice(0, 40))}, not a model of this library`);
    out.format = format;
  }
  const classes = metadata[ONNX_METADATA.classes];
  if (classes !== undefined) {
    try {
      out.classes = JSON.parse(classes);
    } catch {
      throw fail(`metadata ${ONNX_METADATA.classes} is not a JSON list of labels`);
    }
    if (!Array.isArray(out.classes)) throw fail(`metadata ${ONNX_METADATA.classes} is not a JSON list of labels`);
  }
  return out;
}

/** A graph's nodes and initializers, read and checked, with the names the nodes refer to. */
interface Graph {
  /** ModelProto.metadata_props, by key. */
  metadata: Record<string, string>;
  nodes: Node[];
  input: string;
  /** The input's declared feature count and the output's declared K, when the file gives them. */
  width: number | undefined;
  outputWidth: number | undefined;
  output: string;
  /** The FLOAT initializer `name`, or an error saying which node (`what`) needed it. */
  tensor(name: string | undefined, what: string): { dims: number[]; data: Float32Array };
  /** The value of `name` when it is a scalar FLOAT initializer (an activation's constant), else undefined. */
  scalar(name: string): number | undefined;
  /** The INT64 initializer `name` (polynomial features' columns). */
  indices(name: string | undefined, what: string): number[];
  /** The error for node i, which is not of the shape the library writes. */
  unsupported(i: number): ArgumentError;
}

function readGraph(bytes: Uint8Array): Graph {
  checkOnnxStructure(bytes);
  const model = readFields(bytes, 'the model', fail);
  const graphBytes = messages(model, 7)[0];
  if (!graphBytes) throw fail('the file has no graph (not an ONNX model?)');
  const opset = checkOpset(model);
  const graph = readFields(graphBytes, 'the graph', fail);
  const tensors = new Map<string, { dims: number[]; data: Float32Array; int64?: true }>();
  for (const t of messages(graph, 5)) {
    const tensor = readTensor(t);
    tensors.set(tensor.name, tensor);
  }
  const initializer = (name: string | undefined, what: string, int64: boolean) => {
    const t = name === undefined ? undefined : tensors.get(name);
    if (!t || !!t.int64 !== int64) throw fail(`${what}: ${int64 ? 'INT64' : 'FLOAT'} initializer ${JSON.stringify(name)} is not in the file`);
    return t;
  };
  const nameOf = (v: Uint8Array) => strings(readFields(v, 'an input', fail), 1)[0] ?? '';
  const declared = messages(graph, 11).map((v) => ({ info: v, name: nameOf(v) })).filter((v) => !tensors.has(v.name));
  const inputs = declared.map((v) => v.name);
  const outputs = messages(graph, 12).map((v) => strings(readFields(v, 'an output', fail), 1)[0] ?? '');
  if (inputs.length !== 1 || outputs.length !== 1) throw fail(`the graph has ${inputs.length} inputs and ${outputs.length} outputs; the library writes one of each`);
  const nodes = messages(graph, 1).map(readNode);
  for (const [i, n] of nodes.entries()) if ((SINCE[n.op] ?? 0) > opset) throw fail(`node ${i} (${n.op}) is in ONNX from opset ${SINCE[n.op]}; the file imports opset ${opset}`);
  const metadata: Record<string, string> = Object.create(null);
  for (const entry of messages(model, 14)) {
    const f = readFields(entry, 'a metadata entry', fail);
    metadata[strings(f, 1)[0] ?? ''] = strings(f, 2)[0] ?? '';
  }
  return {
    metadata,
    nodes,
    input: inputs[0]!,
    width: declaredWidth(declared[0]!.info, "the graph's input"),
    outputWidth: declaredWidth(messages(graph, 12)[0]!, "the graph's output"),
    output: outputs[0]!,
    tensor: (name, what) => initializer(name, what, false),
    scalar: (name) => {
      const t = tensors.get(name);
      return t && !t.int64 && t.data.length === 1 && t.dims.every((d) => d === 1) ? t.data[0] : undefined;
    },
    indices: (name, what) => Array.from(initializer(name, what, true).data),
    unsupported: (i) =>
      fail(`node ${i} is ${JSON.stringify(nodes[i]?.op)} on ${JSON.stringify(nodes[i]?.inputs)}: this library reads the graphs it writes (polynomial features, Sub/Div, then Gemm with an activation between, then Sigmoid, Softmax or nothing)`),
  };
}

/** The optional Sub(μ)/Div(σ) on `current` (node `next` on): the normalisation, and where the layers start. */
function readNormalization(g: Graph, { current, next }: { current: string; next: number }): { normalization: OnnxModel['normalization']; current: string; next: number } {
  const [sub, div] = [g.nodes[next], g.nodes[next + 1]];
  if (sub?.op !== 'Sub') return { normalization: null, current, next };
  if (sub.inputs[0] !== current || div?.op !== 'Div' || div.inputs[0] !== sub.outputs[0]) throw g.unsupported(next);
  const mean = g.tensor(sub.inputs[1], 'Sub');
  const std = g.tensor(div.inputs[1], 'Div');
  if (mean.dims.length !== 1 || std.dims.length !== 1 || mean.dims[0] !== std.dims[0]) throw fail('the normalisation tensors must be two vectors of one length');
  return { normalization: { mean: Array.from(mean.data), std: Array.from(std.data) }, current: div.outputs[0]!, next: next + 2 };
}

/** Gemm node i on `current`: its Θ (bias column first) appended to `theta`, its sizes to `layers`. */
function readGemm(g: Graph, i: number, current: string, m: OnnxModel): string {
  const gemm = g.nodes[i]!;
  if (gemm.op !== 'Gemm' || gemm.inputs[0] !== current || gemm.inputs.length !== 3 || gemm.attributes.get('transB') !== 1) throw g.unsupported(i);
  for (const key of ['alpha', 'beta', 'transA']) if (gemm.attributes.has(key) && gemm.attributes.get(key) !== (key === 'transA' ? 0 : 1)) throw g.unsupported(i);
  const W = g.tensor(gemm.inputs[1], `node ${i}`);
  const b = g.tensor(gemm.inputs[2], `node ${i}`);
  if (W.dims.length !== 2 || b.dims.length !== 1 || b.dims[0] !== W.dims[0]) throw fail(`node ${i}: Θ must be out × in with a bias of out values, got ${W.dims.join('×')} and ${b.dims.join('×')}`);
  const [out, inn] = W.dims as [number, number];
  const { layers, normalization } = m;
  if (layers.length === 0) layers.push(inn);
  else if (layers[layers.length - 1] !== inn) throw fail(`node ${i}: a layer of ${inn} inputs after one of ${layers[layers.length - 1]} units`);
  if (normalization && layers.length === 1 && normalization.mean.length !== inn) throw fail(`the normalisation has ${normalization.mean.length} features, the first layer ${inn}`);
  layers.push(out);
  for (let k = 0; k < out; k++) {
    m.theta.push(b.data[k]!);
    for (let j = 0; j < inn; j++) m.theta.push(W.data[k * inn + j]!);
  }
  return gemm.outputs[0]!;
}

/** The model an ONNX file of this library holds, as saved-model data (checked again by load()). */
export function readOnnx(bytes: Uint8Array): OnnxModel {
  if (!(bytes instanceof Uint8Array)) throw new ArgumentError('onnx', 'must be the file’s bytes (a Uint8Array)');
  const g = readGraph(bytes);
  const { nodes } = g;
  const terms = readPolynomial(g);
  const start = readNormalization(g, terms);
  const m: OnnxModel = { layers: [], head: 'linear', activations: [], theta: [], normalization: start.normalization, metadata: {}, ...(terms.polynomial ? { polynomial: terms.polynomial } : {}) };
  let { current, next: i } = start;
  let head: HeadName | undefined;
  while (i < nodes.length) {
    current = readGemm(g, i, current, m);
    i++;
    const next = nodes[i];
    const activation = matchActivation(nodes, i, current, g.scalar);
    if (activation && 'mismatch' in activation) throw fail(activation.mismatch);
    if (activation && i + activation.count < nodes.length) {
      // Between two layers: a hidden layer's activation.
      m.activations.push(activation.name);
      current = activation.output;
      i += activation.count;
    } else if (next?.op === 'Sigmoid' && next.inputs[0] === current) {
      current = next.outputs[0]!;
      i++;
      head = m.layers[m.layers.length - 1] === 1 ? 'logistic' : 'sigmoid';
    } else if (next?.op === 'Softmax' && next.inputs[0] === current && i + 1 === nodes.length) {
      const axis = next.attributes.get('axis') ?? -1;
      if (axis !== 1 && axis !== -1) throw g.unsupported(i);
      current = next.outputs[0]!;
      head = 'softmax';
      i++;
    } else if (next === undefined) head = 'linear';
    else if (next.op !== 'Gemm') throw g.unsupported(i);
    else throw fail(`node ${i}: two layers with no activation between them`);
  }
  if (!head || m.layers.length < 2) throw fail('the graph holds no layer');
  if (current !== g.output) throw fail(`the last node writes ${JSON.stringify(current)}, the graph's output is ${JSON.stringify(g.output)}`);
  if (m.polynomial && checkPolynomial('onnx', m.polynomial.inputs, m.polynomial.degree) !== m.layers[0]) throw fail(`the polynomial features make ${checkPolynomial('onnx', m.polynomial.inputs, m.polynomial.degree)} columns, the first layer takes ${m.layers[0]}`);
  if (!m.polynomial && g.width !== undefined && g.width !== m.layers[0]) throw fail(`the graph's input is declared [batch, ${g.width}], its first layer takes ${m.layers[0]} features`);
  const K = m.layers[m.layers.length - 1];
  if (g.outputWidth !== undefined && g.outputWidth !== K) throw fail(`the graph's output is declared [batch, ${g.outputWidth}], its last layer gives ${K}`);
  return { ...m, head, metadata: { ...g.metadata }, ...libraryMetadata(g.metadata) };
}

/**
 * A model from an ONNX file this library wrote (toONNX()): a NeuralNetwork when it has hidden
 * layers, else the regression model its head names. Throws ArgumentError naming what is wrong.
 */
export function loadONNX(ctx: GpuContext, bytes: Uint8Array): NeuralNetwork | LinearRegression | LogisticRegression | SoftmaxRegression {
  const m = readOnnx(bytes);
  const saved = { version: 1 as const, layers: m.layers, head: m.head, theta: m.theta, normalization: m.normalization, epochs: 0, ...(m.classes ? { classes: m.classes as Label[] } : {}), ...(m.polynomial ? { polynomial: m.polynomial } : {}) };
  const network = { format: 'wgsl-learn/network' as const, ...saved, activations: m.activations };
  // The class it was saved from, when the file says; else the one its shape implies.
  if (m.format === 'wgsl-learn/network' || (m.format === undefined && m.layers.length > 2)) return NeuralNetwork.load(ctx, network);
  const json: RegressionJSON = { format: 'wgsl-learn/regression', ...saved };
  if (m.head === 'linear') return LinearRegression.load(ctx, json);
  if (m.head === 'logistic') return LogisticRegression.load(ctx, json);
  if (m.head === 'softmax') return SoftmaxRegression.load(ctx, json);
  // K sigmoid units without a hidden layer: a one-layer network.
  return NeuralNetwork.load(ctx, network);
}
