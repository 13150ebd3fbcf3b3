// The activation registry: one line per hidden-layer activation g, pairing its WGSL
// (shaders/activations/<name>.wgsl: `fn activation(z)` and `fn activation_gradient(s)`, g′ from
// what the forward pass saved — the activation a, or z where `derivativeFrom` says 'z'), the
// shared math it links (shaders/lib/), its float64 reference pair (src/reference/activations.ts)
// and its ONNX form. The matmul epilogue, the elementwise kernels, the models, the saved
// format, the ONNX writer and reader, the references and the tests all read this table, and
// nothing else names an activation. To add one, see docs/architecture.md ("Adding an activation").

import eluWgsl from '../shaders/activations/elu.wgsl?raw';
import geluWgsl from '../shaders/activations/gelu.wgsl?raw';
import geluTanhWgsl from '../shaders/activations/gelu_tanh.wgsl?raw';
import identityWgsl from '../shaders/activations/identity.wgsl?raw';
import mishWgsl from '../shaders/activations/mish.wgsl?raw';
import reluWgsl from '../shaders/activations/relu.wgsl?raw';
import sigmoidWgsl from '../shaders/activations/sigmoid.wgsl?raw';
import softplusWgsl from '../shaders/activations/softplus.wgsl?raw';
import swishWgsl from '../shaders/activations/swish.wgsl?raw';
import tanhWgsl from '../shaders/activations/tanh.wgsl?raw';
import erfc from '../shaders/lib/erfc.wgsl?raw';
import expNeg from '../shaders/lib/exp_neg.wgsl?raw';
import expm1Neg from '../shaders/lib/expm1.wgsl?raw';
import log1p from '../shaders/lib/log1p.wgsl?raw';
import sigmoid from '../shaders/lib/sigmoid.wgsl?raw';
import softplus from '../shaders/lib/softplus.wgsl?raw';
import tanh from '../shaders/lib/tanh.wgsl?raw';
import { ArgumentError } from './gpu/errors.js';
import {
  type ActivationReference, eluPair, geluPair, geluTanhPair, identityPair, mishPair, reluPair, sigmoidPair, softplusPair, swishPair, tanhPair,
} from './reference/activations.js';

export interface ActivationEntry {
  /** WGSL linked in front of a kernel: the shaders/lib/ files it calls first, the activation's file last. */
  wgsl: readonly string[];
  /**
   * What g′ is computed from: 'a', the saved activation (no cost: the forward pass keeps a for
   * the next layer anyway), or 'z', which the forward pass then also keeps for that layer —
   * where a does not determine g′ (swish: a = −0.2291 at z = −2.1 and at z = −0.682) or
   * determines it only with cancellation.
   */
  derivativeFrom: 'a' | 'z';
  /** g and g′ in float64: the oracle, and the CPU side of the references. */
  reference: ActivationReference;
  /**
   * g in ONNX (opset 13, what the writer declares; the reader takes 7–25): an operator of one
   * input, one output and no attributes, or steps `name = Op(arg, …) [attr=value]` from x to y
   * (src/export/onnx-activations.ts) where no one operator of those opsets computes g.
   */
  onnx: string | readonly string[];
}

// The order is what users see (errors, --help, the demo's menus) and what tests iterate: the
// lecture's σ first; a new activation goes last.
export const ACTIVATIONS = {
  sigmoid: { wgsl: [sigmoid, sigmoidWgsl], derivativeFrom: 'a', reference: sigmoidPair, onnx: 'Sigmoid' },
  tanh: { wgsl: [tanh, tanhWgsl], derivativeFrom: 'a', reference: tanhPair, onnx: 'Tanh' },
  relu: { wgsl: [reluWgsl], derivativeFrom: 'a', reference: reluPair, onnx: 'Relu' },
  identity: { wgsl: [identityWgsl], derivativeFrom: 'a', reference: identityPair, onnx: 'Identity' },
  softplus: { wgsl: [expNeg, log1p, softplus, sigmoid, softplusWgsl], derivativeFrom: 'z', reference: softplusPair, onnx: 'Softplus' },
  elu: { wgsl: [expm1Neg, eluWgsl], derivativeFrom: 'a', reference: eluPair, onnx: ['y = Elu(x) alpha=1.0'] },
  swish: { wgsl: [sigmoid, swishWgsl], derivativeFrom: 'z', reference: swishPair, onnx: ['s = Sigmoid(x)', 'y = Mul(x, s)'] },
  gelu: { wgsl: [erfc, geluWgsl], derivativeFrom: 'z', reference: geluPair, onnx: ['r = Mul(x, 0.7071067811865476)', 'e = Erf(r)', 'p = Add(e, 1)', 'q = Mul(x, p)', 'y = Mul(q, 0.5)'] },
  gelu_tanh: {
    wgsl: [sigmoid, geluTanhWgsl], derivativeFrom: 'z', reference: geluTanhPair,
    onnx: ['x2 = Mul(x, x)', 'p = Mul(x2, 0.044715)', 'q = Add(p, 1)', 'r = Mul(x, q)', 'u = Mul(r, 0.7978845608028654)', 't = Tanh(u)', 'w = Add(t, 1)', 'v = Mul(x, w)', 'y = Mul(v, 0.5)'],
  },
  mish: { wgsl: [expNeg, log1p, softplus, tanh, sigmoid, mishWgsl], derivativeFrom: 'z', reference: mishPair, onnx: ['sp = Softplus(x)', 't = Tanh(sp)', 'y = Mul(x, t)'] },
} as const satisfies Record<string, ActivationEntry>;

/** The name of a registered activation: 'sigmoid' (the lecture's g, the default), 'tanh', 'relu', 'identity', 'softplus', 'elu', 'swish', 'gelu', 'gelu_tanh', 'mish'. */
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

/** Whether a layer of activation `name` keeps z for its backward pass (g′ computed from z). */
export function savesZ(name: ActivationName): boolean {
  return ACTIVATIONS[name].derivativeFrom === 'z';
}
