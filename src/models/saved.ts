// The saved form every model shares (JSON: toJSON() / load()), and its checks. A file may be
// hostile: it is checked whole on the CPU before anything is allocated — its shape (at most 64
// layers of at most 2²⁴ units), that Θ holds exactly the values the layers declare, so nothing
// is ever sized from a declared size alone, and that every number is finite in float32. Keys
// such as __proto__ are plain data here, never merged into objects.

import { ACTIVATION_NAMES, type ActivationName, isActivation } from '../activations.js';
import { ArgumentError } from '../gpu/errors.js';
import type { HeadName } from '../reference/regression.js';
import { type Label, checkLabels } from '../train/labels.js';
import { ThetaLayout } from './layout.js';
import { checkOptions, optionTable } from '../options.js';
import { DENSE_OPTIONS, type DenseOptions } from './spec.js';
import { isF32, isF32Positive } from '../gpu/f32.js';
import { MAX_DEGREE, termCount } from '../features/polynomial.js';

const HEADS: readonly HeadName[] = ['linear', 'logistic', 'softmax', 'sigmoid'];

/** The saved form every model shares (each model adds its own format tag). */
export interface DenseJSON {
  version: 1;
  /** [s₁, …, s_L]. */
  layers: number[];
  head: HeadName;
  /**
   * g of each hidden layer (L − 2 names from the activation registry). Files without it (and
   * models without hidden layers) mean sigmoid throughout, the lecture's g.
   */
  activations?: ActivationName[];
  /** A classifier's labels for its classes 0 … K − 1 (two for one unit); absent: the indices. */
  classes?: Label[];
  /** Θ⁽¹⁾, Θ⁽²⁾ … flat, each s_{l+1} × (s_l + 1) row-major, in the normalised feature space when `normalization` is set. */
  theta: number[];
  normalization: { mean: number[]; std: number[] } | null;
  epochs: number;
  /** Polynomial features (options.polynomial): x has `inputs` features, the first layer (layers[0]) their terms up to `degree`. */
  polynomial?: { degree: number; inputs: number };
}

const quote = (v: unknown) => JSON.stringify(v)?.slice(0, 80);

function checkLayers(layers: unknown): number[] {
  if (!Array.isArray(layers) || layers.length < 2 || layers.length > 64 || !layers.every((s) => Number.isInteger(s) && s >= 1 && s <= 1 << 24)) {
    throw new ArgumentError('json.layers', 'must be 2 to 64 layer sizes, each an integer from 1 to 2²⁴');
  }
  return layers as number[];
}

function checkActivations(activations: unknown, hidden: number): ActivationName[] {
  if (activations === undefined) return Array(hidden).fill('sigmoid');
  if (!Array.isArray(activations) || activations.length !== hidden) throw new ArgumentError('json.activations', `must name ${hidden} activations, one per hidden layer`);
  activations.forEach((a, l) => {
    if (!isActivation(a)) throw new ArgumentError(`json.activations[${l}]`, `must be one of ${ACTIVATION_NAMES.join(', ')}, got ${quote(a)}`);
  });
  return activations as ActivationName[];
}

function checkTheta(theta: unknown, layers: number[]): number[] {
  if (!Array.isArray(theta)) throw new ArgumentError('json.theta', 'must be an array of numbers');
  const P = ThetaLayout.count(layers);
  if (theta.length !== P) throw new ArgumentError('json.theta', `holds ${theta.length} values; layers ${layers.join('-')} need ${P}`);
  for (let i = 0; i < P; i++) {
    const v = theta[i];
    if (typeof v !== 'number' || !Number.isFinite(Math.fround(v))) throw new ArgumentError(`json.theta[${i}]`, `must be a finite number, got ${quote(v)?.slice(0, 40)}`);
  }
  return theta;
}

function checkNormalization(norm: unknown, n: number): DenseJSON['normalization'] {
  if (norm === null || norm === undefined) return null;
  const { mean, std } = norm as { mean?: unknown; std?: unknown };
  if (!Array.isArray(mean) || !Array.isArray(std) || mean.length !== n || std.length !== n) throw new ArgumentError('json.normalization', `must be { mean, std } of ${n} numbers each`);
  mean.forEach((v, i) => {
    if (!isF32(v)) throw new ArgumentError(`json.normalization.mean[${i}]`, `must be a number finite in float32, got ${quote(v)}`);
  });
  std.forEach((v, i) => {
    if (!isF32Positive(v)) throw new ArgumentError(`json.normalization.std[${i}]`, `must be a number > 0 that float32 holds as a normal number (≥ 1.2e-38, ≤ 3.4e38), got ${quote(v)}`);
  });
  return { mean, std };
}

/** A model's saved form from what it holds. */
export function savedForm(m: {
  layers: number[]; head: HeadName; hidden: readonly number[]; activations: readonly ActivationName[]; labels: readonly Label[] | undefined;
  theta: ArrayLike<number>; normalization: { mean: ArrayLike<number>; std: ArrayLike<number> } | null; epochs: number;
  polynomial: DenseJSON['polynomial'];
}): DenseJSON {
  const norm = m.normalization;
  return {
    version: 1, layers: m.layers, head: m.head,
    ...(m.hidden.length ? { activations: [...m.activations] } : {}),
    ...(m.labels ? { classes: [...m.labels] } : {}),
    theta: Array.from(m.theta),
    normalization: norm && { mean: Array.from(norm.mean), std: Array.from(norm.std) },
    epochs: m.epochs,
    ...(m.polynomial ? { polynomial: { ...m.polynomial } } : {}),
  };
}

/** json.polynomial, checked against the first layer it feeds. */
function checkPolynomialField(p: unknown, first: number): DenseJSON['polynomial'] {
  if (p === undefined) return undefined;
  const q = p as { degree?: unknown; inputs?: unknown };
  if (!p || typeof p !== 'object' || !Number.isInteger(q.degree) || (q.degree as number) < 2 || (q.degree as number) > MAX_DEGREE || !Number.isInteger(q.inputs) || (q.inputs as number) < 1) {
    throw new ArgumentError('json.polynomial', `must be { degree: 2 … ${MAX_DEGREE}, inputs: an integer ≥ 1 }, got ${quote(p)}`);
  }
  const terms = termCount(q.inputs as number, q.degree as number);
  if (terms !== first) throw new ArgumentError('json.polynomial', `makes ${terms} features of ${q.inputs as number} inputs at degree ${q.degree as number}, but the first layer has ${first}`);
  return { degree: q.degree as number, inputs: q.inputs as number };
}

/** Checks a saved model of `format` whole, on the CPU; returns it as the library reads it. */
export function checkSaved(json: unknown, format: string): DenseJSON & { activations: ActivationName[] } {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new ArgumentError('json', 'must be an object (a saved model)');
  const j = json as Record<string, unknown>;
  if (j.format !== format) throw new ArgumentError('json.format', `must be '${format}', got ${quote(j.format)}`);
  if (j.version !== 1) throw new ArgumentError('json.version', `${String(j.version)} is not supported (this library reads version 1)`);
  if (!HEADS.includes(j.head as HeadName)) throw new ArgumentError('json.head', `must be linear, logistic, softmax or sigmoid, got ${quote(j.head)}`);
  const layers = checkLayers(j.layers);
  const activations = checkActivations(j.activations, layers.length - 2);
  const theta = checkTheta(j.theta, layers);
  const K = layers[layers.length - 1]!;
  const classes = j.classes === undefined ? undefined : (checkLabels('json.classes', j.classes, K === 1 ? 2 : K) as Label[]);
  if (classes && j.head === 'linear') throw new ArgumentError('json.classes', 'a linear output has no classes');
  const normalization = checkNormalization(j.normalization, layers[0]!);
  const epochs = Number.isInteger(j.epochs) && (j.epochs as number) >= 0 ? (j.epochs as number) : 0;
  const polynomial = checkPolynomialField(j.polynomial, layers[0]!);
  return { version: 1, layers, head: j.head as HeadName, activations, ...(classes ? { classes } : {}), theta, normalization, epochs, ...(polynomial ? { polynomial } : {}) };
}

/** What a static load() takes besides the saved form: the model options; normalize is the file's. */
export const LOAD_OPTIONS = optionTable<DenseOptions>('load options (NeuralNetwork.load and the regression models\' load)', DENSE_OPTIONS);

/** The caller's load() options, checked, with normalize set by the saved form (it is part of the parameters). */
export function loadOptions(options: unknown, saved: DenseJSON): DenseOptions {
  checkOptions('options', options, LOAD_OPTIONS);
  const normalize = !!saved.normalization;
  if (options.normalize !== undefined && options.normalize !== normalize) {
    throw new ArgumentError('options.normalize', `is ${options.normalize}, but the saved model was trained ${normalize ? 'with' : 'without'} normalisation (its μ and σ are part of its parameters)`);
  }
  const polynomial = saved.polynomial?.degree;
  if (options.polynomial !== undefined && options.polynomial !== polynomial) throw new ArgumentError('options.polynomial', `is ${options.polynomial}, but the saved model's features are ${polynomial === undefined ? 'x itself' : `its terms up to degree ${polynomial}`}`);
  return { ...options, normalize, ...(polynomial === undefined ? {} : { polynomial }) };
}

/**
 * Makes the model for a saved form. What its constructor refuses of the model's shape came from
 * the file, not from options the caller passed: the error names the saved field (json.layers,
 * json.classes, json.activations, json.head).
 */
export function fromSaved<M>(saved: DenseJSON, make: () => M): M {
  try {
    return make();
  } catch (e) {
    const m = e instanceof ArgumentError ? /^options\.(layers|activation|output|classes)(.*)$/.exec(e.argument) : null;
    if (!m) throw e;
    const [, option, rest] = m as unknown as [string, string, string];
    const field = option === 'activation' ? 'json.activations' : option === 'output' ? 'json.head' : option === 'classes' && !saved.classes ? 'json.layers' : `json.${option}${rest}`;
    throw new ArgumentError(field, (e as ArgumentError).message.slice((e as ArgumentError).argument.length + 2));
  }
}

/** What a saved model must agree with to be restored into an existing model. */
export interface SavedShape {
  head: HeadName;
  /** [s₂, …, s_L] of the model. */
  rest: readonly number[];
  activations: readonly ActivationName[];
  labels: readonly Label[] | undefined;
  normalize: boolean;
  /** n, if the model already has it. */
  n: number | undefined;
}

/** Checks that `json` (as checkSaved returned it) fits a model of shape `model`. */
export function checkRestore(json: DenseJSON, model: SavedShape): void {
  if (json.version !== 1) throw new ArgumentError('json.version', `${json.version} is not supported (this library reads version 1)`);
  if (json.head !== model.head) throw new ArgumentError('json.head', `is ${json.head}, not ${model.head}`);
  const layers = json.layers;
  if (!Array.isArray(layers) || layers.length !== model.rest.length + 1 || layers.slice(1).some((s, l) => s !== model.rest[l])) {
    throw new ArgumentError('json.layers', `are ${JSON.stringify(layers)}, this model has n-${model.rest.join('-')}`);
  }
  if (!Number.isInteger(layers[0]) || layers[0]! < 1) throw new ArgumentError('json.layers[0]', `must be an integer ≥ 1, got ${layers[0]}`);
  const saved = json.activations ?? Array(model.activations.length).fill('sigmoid');
  if (saved.length !== model.activations.length || saved.some((a, l) => a !== model.activations[l])) {
    throw new ArgumentError('json.activations', `are ${JSON.stringify(saved)}, this model has ${JSON.stringify(model.activations)}`);
  }
  if (JSON.stringify(json.classes ?? null) !== JSON.stringify(model.labels ?? null)) throw new ArgumentError('json.classes', `are ${JSON.stringify(json.classes)}, this model has ${JSON.stringify(model.labels)}`);
  if (!!json.normalization !== model.normalize) throw new ArgumentError('json.normalization', `does not match normalize: ${model.normalize}`);
  if (model.n !== undefined && model.n !== layers[0]) throw new ArgumentError('json.layers[0]', `is ${layers[0]}, this model has ${model.n} features`);
}
