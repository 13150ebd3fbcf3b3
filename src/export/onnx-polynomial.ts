// Polynomial features in an ONNX file (src/features/polynomial.ts): for each degree d ≥ 2, d
// Gather nodes take the columns of x each term of degree d multiplies (INT64 index tensors, axis
// 1), Mul nodes multiply them left to right — ((x_a·x_b)·x_c), as the library computes them — and
// one Concat (axis 1) lays x and every degree's terms side by side, in scikit-learn's order. The
// writer's nodes come from the map alone; the reader accepts exactly the nodes the writer makes
// for the degree and the declared input width, so a file read here runs in ONNX Runtime the same.

import { ArgumentError } from '../gpu/errors.js';
import { MAX_DEGREE, checkPolynomial, polynomialTerms } from '../features/polynomial.js';

/** A node as the writer makes it, before protobuf: operator, name, inputs, outputs, INT attributes. */
export interface NodeSpec {
  op: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, number>;
}

/** The nodes and INT64 index tensors of the map, from `input`, and the name of its output. */
export function polynomialNodes(p: { degree: number; inputs: number }, input: string): { nodes: NodeSpec[]; indices: { name: string; values: number[] }[]; output: string } {
  const terms = polynomialTerms(p.inputs, p.degree);
  const nodes: NodeSpec[] = [];
  const indices: { name: string; values: number[] }[] = [];
  const parts = [input];
  for (let d = 2; d <= p.degree; d++) {
    const ofDegree = terms.filter((t) => t.length === d);
    let product = '';
    for (let k = 0; k < d; k++) {
      const name = `poly${d}_${k}`;
      indices.push({ name: `${name}_columns`, values: ofDegree.map((t) => t[k]!) });
      nodes.push({ op: 'Gather', name: `factor ${k + 1} of each degree-${d} term`, inputs: [input, `${name}_columns`], outputs: [name], attributes: { axis: 1 } });
      if (k === 0) product = name;
      else {
        const out = k === d - 1 ? `poly${d}` : `poly${d}_upto${k}`;
        nodes.push({ op: 'Mul', name: `degree-${d} terms: × factor ${k + 1}`, inputs: [product, name], outputs: [out], attributes: {} });
        product = out;
      }
    }
    parts.push(product);
  }
  nodes.push({ op: 'Concat', name: `x and its terms up to degree ${p.degree}`, inputs: parts, outputs: ['x_terms'], attributes: { axis: 1 } });
  return { nodes, indices, output: 'x_terms' };
}

/** What the reader needs of the graph (./onnx-load.ts). */
export interface GraphNodes {
  nodes: { op: string; inputs: string[]; outputs: string[]; attributes: Map<string, number> }[];
  input: string;
  /** The input's declared feature count. */
  width: number | undefined;
  /** An INT64 initializer's values, or an error naming `what` needed it. */
  indices(name: string | undefined, what: string): number[];
  unsupported(i: number): ArgumentError;
}

/** The map in front of the graph, if its first node is a Gather: its degree and inputs, where the rest starts. */
export function readPolynomial(g: GraphNodes): { polynomial: { degree: number; inputs: number } | undefined; current: string; next: number } {
  if (g.nodes[0]?.op !== 'Gather') return { polynomial: undefined, current: g.input, next: 0 };
  const concat = g.nodes.findIndex((n) => n.op === 'Concat');
  const degree = concat < 0 ? 0 : g.nodes[concat]!.inputs.length;
  if (concat < 0 || degree < 2 || degree > MAX_DEGREE) throw g.unsupported(Math.max(0, concat));
  const inputs = g.width;
  if (inputs === undefined) throw new ArgumentError('onnx', 'polynomial features need the graph\'s input declared [batch, n]: its width is their inputs');
  checkPolynomial('onnx', inputs, degree);
  const expected = polynomialNodes({ degree, inputs }, g.input);
  if (expected.nodes.length !== concat + 1) throw g.unsupported(0);
  const values = new Map(expected.indices.map((t) => [t.name, t.values]));
  expected.nodes.forEach((want, i) => {
    const got = g.nodes[i]!;
    const axis = got.attributes.get('axis');
    const sameAttributes = got.attributes.size === Object.keys(want.attributes).length && (want.attributes.axis === undefined || axis === 1 || axis === -1);
    // Inputs name the same values: the graph's input, an earlier node's output, or index tensors holding the same columns.
    const sameInputs = got.inputs.length === want.inputs.length && got.inputs.every((name, k) => {
      const w = want.inputs[k]!;
      if (values.has(w)) return JSON.stringify(g.indices(name, `node ${i} (Gather)`)) === JSON.stringify(values.get(w));
      return w === g.input ? name === g.input : name === g.nodes[expected.nodes.findIndex((n) => n.outputs[0] === w)]!.outputs[0];
    });
    if (got.op !== want.op || !sameAttributes || !sameInputs) throw g.unsupported(i);
  });
  return { polynomial: { degree, inputs }, current: g.nodes[concat]!.outputs[0]!, next: concat + 1 };
}

