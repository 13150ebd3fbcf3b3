// A hidden layer's activation in ONNX, written and read back: the registry's `onnx` form
// (src/activations.ts) — one operator of one input and no attributes ('Tanh'), or steps from x
// to y, `name = Op(arg, …) [attr=value …]`, where no one operator of the opsets the reader takes
// (7–25) computes g: swish is Sigmoid then Mul, mish Softplus, Tanh, Mul. An argument is x, an
// earlier step's name, or a number (a scalar FLOAT initializer). The writer (./onnx.ts) names a
// layer's nodes after its activation; the reader (./onnx-load.ts) matches the steps at a node,
// operators, inputs, attributes and constants, longest form first (Sigmoid is swish's first
// step), Add and Mul in either input order.

import { ACTIVATIONS, ACTIVATION_NAMES, type ActivationName } from '../activations.js';
import { ArgumentError } from '../gpu/errors.js';

/** One step of an activation's form. */
export interface Step {
  output: string;
  op: string;
  /** x, an earlier step's output, or a constant. */
  inputs: (string | number)[];
  /** Attribute values, and whether each is written as a FLOAT (a '.' or exponent in the form). */
  attributes: Record<string, { value: number; float: boolean }>;
}

/** What an ONNX attribute is when a node leaves it out (the operator's default in the ONNX spec). */
const DEFAULTS: Record<string, Record<string, number>> = { Elu: { alpha: 1 } };

const STEP = /^(\w+) = (\w+)\(([^)]*)\)((?: \w+=[-+\d.eE]+)*)$/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
/** Operators whose two inputs may come in either order. */
const COMMUTATIVE = new Set(['Add', 'Mul']);

function parseStep(line: string, who: string): Step {
  const m = STEP.exec(line);
  if (!m) throw new ArgumentError(who, `step ${JSON.stringify(line)} is not "name = Op(arg, …) [attr=value …]"`);
  const inputs = m[3]!.split(',').map((a) => a.trim()).map((a) => (NUMBER.test(a) ? Number(a) : a));
  const attributes: Step['attributes'] = {};
  for (const pair of m[4]!.trim().split(' ').filter(Boolean)) {
    const [key, text] = pair.split('=') as [string, string];
    attributes[key] = { value: Number(text), float: /[.eE]/.test(text) };
  }
  return { output: m[1]!, op: m[2]!, inputs, attributes };
}

/** Each activation's steps, parsed once. */
const parsed = new Map<ActivationName, Step[]>();

/** The steps of activation `g`'s ONNX form, checked: names defined before use, the last one y. */
export function activationSteps(g: ActivationName): Step[] {
  let steps = parsed.get(g);
  if (!steps) parsed.set(g, (steps = parseForm(g)));
  return steps;
}

function parseForm(g: ActivationName): Step[] {
  const form = ACTIVATIONS[g].onnx;
  const who = `ACTIVATIONS.${g}.onnx`;
  if (typeof form === 'string') return [{ output: 'y', op: form, inputs: ['x'], attributes: {} }];
  const steps = form.map((line) => parseStep(line, who));
  const known = new Set(['x']);
  for (const s of steps) {
    for (const i of s.inputs) if (typeof i === 'string' && !known.has(i)) throw new ArgumentError(who, `step ${s.output} reads ${i} before it is computed`);
    known.add(s.output);
  }
  if (steps[steps.length - 1]?.output !== 'y') throw new ArgumentError(who, 'the last step must compute y');
  return steps;
}

/** A node as the writer emits it. */
export interface WrittenNode {
  op: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, { value: number; float: boolean }>;
}

/** Activation `g` from `input` to `output`: its nodes (names prefixed with `output`) and the scalar constants they read. */
export function activationNodes(g: ActivationName, input: string, output: string): { nodes: WrittenNode[]; constants: { name: string; value: number }[] } {
  const steps = activationSteps(g);
  const constants: { name: string; value: number }[] = [];
  const named = (v: string) => (v === 'x' ? input : v === 'y' ? output : `${output}_${v}`);
  const nodes = steps.map((s) => ({
    op: s.op,
    name: steps.length === 1 ? `${output} = ${g}(${input})` : `${output} = ${g}(${input}): ${s.output} = ${s.op}`,
    inputs: s.inputs.map((v) => {
      if (typeof v === 'string') return named(v);
      constants.push({ name: `${output}_c${constants.length}`, value: v });
      return constants[constants.length - 1]!.name;
    }),
    outputs: [named(s.output)],
    attributes: s.attributes,
  }));
  return { nodes, constants };
}

/** A node as the reader found it. */
export interface ReadNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes: Map<string, number>;
}

/** An activation matched at a node: its name, the node count, the output; or why the closest form did not match. */
export type ActivationMatch = { name: ActivationName; count: number; output: string } | { mismatch: string } | undefined;

/** Forms longest first: a form that is another's first step (Sigmoid, swish's) is tried last. */
const BY_LENGTH = [...ACTIVATION_NAMES].sort((a, b) => activationSteps(b).length - activationSteps(a).length);

/**
 * The activation whose steps are nodes[i …] on `input`, if one is. `constant(name)` is the value
 * of a scalar FLOAT initializer, else undefined. A form whose operators all match but whose
 * attribute or constant differs gives `mismatch`, saying which (an Elu of α = 0.5 is not elu).
 */
export function matchActivation(nodes: readonly ReadNode[], i: number, input: string, constant: (name: string) => number | undefined): ActivationMatch {
  let mismatch: string | undefined;
  for (const g of BY_LENGTH) {
    const found = matchSteps(g, nodes, i, input, constant);
    if (typeof found === 'string') mismatch ??= found;
    else if (found) return { name: g, count: activationSteps(g).length, output: found.output };
  }
  return mismatch === undefined ? undefined : { mismatch };
}

function matchSteps(g: ActivationName, nodes: readonly ReadNode[], i: number, input: string, constant: (name: string) => number | undefined): { output: string } | string | undefined {
  const steps = activationSteps(g);
  if (steps.some((s, k) => nodes[i + k]?.op !== s.op)) return undefined;
  const bound = new Map<string, string>([['x', input]]);
  for (const [k, s] of steps.entries()) {
    const node = nodes[i + k]!;
    const at = `node ${i + k} (${node.op})`;
    for (const [key, { value }] of Object.entries(s.attributes)) {
      const got = node.attributes.get(key) ?? DEFAULTS[node.op]?.[key];
      if (got === undefined || Math.fround(got) !== Math.fround(value)) return `${at}: ${key} = ${got ?? 'unset'}; the library's ${g} has ${key} = ${value}`;
    }
    const fits = (order: string[]) =>
      order.length === s.inputs.length &&
      s.inputs.every((want, j) => (typeof want === 'number' ? constant(order[j]!) !== undefined && Math.fround(constant(order[j]!)!) === Math.fround(want) : bound.get(want) === order[j]));
    const orders = COMMUTATIVE.has(s.op) && node.inputs.length === 2 ? [node.inputs, [node.inputs[1]!, node.inputs[0]!]] : [node.inputs];
    if (!orders.some(fits)) {
      // Its named inputs in place but a constant other than the form's: say which.
      const constants = s.inputs.filter((v) => typeof v === 'number');
      const named = (order: string[]) => s.inputs.every((want, j) => typeof want === 'number' || bound.get(want) === order[j]);
      return constants.length > 0 && orders.some(named) ? `${at}: its constant is not ${constants.join(', ')}, as the library's ${g} has` : undefined;
    }
    bound.set(s.output, node.outputs[0]!);
  }
  return { output: bound.get('y')! };
}
