// The activation registry: one line per hidden-layer activation g, pairing its WGSL
// (shaders/activations/<name>.wgsl: `fn activation(z)` and `fn activation_gradient(a)`, g′
// from the saved activation), its float64 reference pair (src/reference/activations.ts) and
// its ONNX operator. The matmul epilogue, the elementwise kernels, the models, the saved
// format, the ONNX writer and reader, the references and the tests all read this table, and
// nothing else names an activation. To add one, see docs/architecture.md ("Adding an activation").

import sigmoidLib from '../shaders/lib/sigmoid.wgsl?raw';
import identityWgsl from '../shaders/activations/identity.wgsl?raw';
import reluWgsl from '../shaders/activations/relu.wgsl?raw';
import sigmoidWgsl from '../shaders/activations/sigmoid.wgsl?raw';
import tanhWgsl from '../shaders/activations/tanh.wgsl?raw';
import { ArgumentError } from './gpu/errors.js';
import { type ActivationReference, identityPair, reluPair, sigmoidPair, tanhPair } from './reference/activations.js';

export interface ActivationEntry {
  /** WGSL linked in front of a kernel: libraries first, the activation's file last. */
  wgsl: readonly string[];
  /** g and g′ in float64: the oracle, and the CPU side of the references. */
  reference: ActivationReference;
  /** The ONNX operator (opset 13, one input, one output, no attributes) that computes g. */
  onnx: string;
}

export const ACTIVATIONS = {
  sigmoid: { wgsl: [sigmoidLib, sigmoidWgsl], reference: sigmoidPair, onnx: 'Sigmoid' },
  tanh: { wgsl: [tanhWgsl], reference: tanhPair, onnx: 'Tanh' },
  relu: { wgsl: [reluWgsl], reference: reluPair, onnx: 'Relu' },
  identity: { wgsl: [identityWgsl], reference: identityPair, onnx: 'Identity' },
} as const satisfies Record<string, ActivationEntry>;

/** The name of a registered activation: 'sigmoid' (the lecture's g, the default), 'tanh', 'relu', 'identity'. */
export type ActivationName = keyof typeof ACTIVATIONS;

/** What a kernel links where it applies no activation (its epilogue then leaves values as they are). */
export const NO_ACTIVATION: ActivationName = 'identity';

/** Every registered name, in the registry's order. */
export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS) as ActivationName[];

/** Whether `name` is a registered activation (an own key: 'toString' is not one). */
export function isActivation(name: unknown): name is ActivationName {
  return typeof name === 'string' && Object.hasOwn(ACTIVATIONS, name);
}

/** `name` checked against the registry; ArgumentError naming `who` otherwise. */
export function checkActivation(who: string, name: unknown): ActivationName {
  if (!isActivation(name)) throw new ArgumentError(who, `must be one of ${ACTIVATION_NAMES.join(', ')}, got ${JSON.stringify(name)?.slice(0, 60) ?? String(name)}`);
  return name;
}

/** The activation whose ONNX operator is `op`, if any. */
export function activationOfOnnx(op: string): ActivationName | undefined {
  return ACTIVATION_NAMES.find((name) => ACTIVATIONS[name].onnx === op);
}
