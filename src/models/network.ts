// Neural networks with bias units, as the lecture builds them: layers [s₁, …, s_L], Θ⁽ˡ⁾ of
// s_{l+1} × (s_l + 1), forward propagation a⁽ˡ⁺¹⁾ = g(Θ⁽ˡ⁾a⁽ˡ⁾) with g = σ (the lecture's, the
// default) or any activation of the registry (src/activations.ts) per hidden layer, an output
// of K sigmoid units (one-vs-all) or softmax, the regularised cross-entropy cost, and
// backpropagation (./backpropagation.ts, shared with the regression family) — plus random
// initialisation and numerical gradient checking.

import { ACTIVATION_NAMES, type ActivationName, checkActivation } from '../activations.js';
import { type GpuContext, checkContext } from '../gpu/context.js';
import { ArgumentError } from '../gpu/errors.js';
import { BUFFER_TARGET, checkOptions, kinds, optionTable } from '../options.js';
import { relativeDifference } from '../reference/network.js';
import { Random } from '../random.js';
import { type FeaturesInput, type TargetsInput, readFeatures } from '../train/dataset.js';
import { checkPolynomial } from '../features/polynomial.js';
import { LABEL, type Label, checkLabels, predictedClasses } from '../train/labels.js';
import { DENSE_OPTIONS, type DenseJSON, DenseModel, type DenseOptions } from './dense.js';
import { checkSaved, fromSaved, loadOptions } from './saved.js';
import { ThetaLayout } from './layout.js';
import { checkTarget } from './evaluation.js';
import { type HiddenTarget, copyHiddenTransposed } from './hidden.js';
import { BufferUsage } from '../gpu/flags.js';

export interface NetworkOptions<L extends Label = number> extends DenseOptions {
  /**
   * A classifier's labels for its K classes (two for a single sigmoid unit: [negative,
   * positive]): fit, cost and evaluate take y as these labels (or one-hot rows), and predict
   * returns them. Default: the class indices 0 … K − 1.
   */
  classes?: readonly L[];
  /** [s₁, …, s_L]: inputs, each hidden layer, outputs; at least two layers of ≥ 1 unit. */
  layers: readonly number[];
  /**
   * g of the hidden units: one registered activation for every hidden layer ('sigmoid', the
   * lecture's, is the default; any name of ACTIVATION_NAMES), or one per hidden layer.
   */
  activation?: ActivationName | readonly ActivationName[];
  /**
   * 'sigmoid' (default): K sigmoid units trained one-vs-all, as in the lecture (with K = 1, a
   * single unit for labels 0/1); 'softmax': K ≥ 2 classes by softmax; 'linear': one unit h = z,
   * the squared-error cost ½(h − y)² — the lecture's linear regression as a network's head, for
   * targets that are any real value.
   */
  output?: 'sigmoid' | 'softmax' | 'linear';
  /**
   * Initial Θ: 'random' (default), every Θ⁽ˡ⁾ uniform in [−ε, ε] from a seeded generator, or
   * 'zeros' — which leaves every hidden unit of a layer computing the same function forever,
   * the symmetry random initialisation breaks.
   */
  init?: 'random' | 'zeros';
  /** Seed of the random initialisation. Default 0. */
  seed?: number;
  /** ε of the random initialisation; default √6 / √(s_l + s_{l+1}) for each layer. */
  epsilon?: number;
  /** Default false: inputs such as pixels in [0, 1] need no normalisation. */
  normalize?: boolean;
}

/** The network as JSON (`toJSON()` / `NeuralNetwork.load()`). */
export interface NetworkJSON extends DenseJSON {
  format: 'wgsl-learn/network';
}

/** What `gradientCheck` found. */
export interface GradientCheckReport {
  /** ‖D − D_num‖ / ‖D + D_num‖ over every parameter. */
  relativeDifference: number;
  /** ε of the central differences. */
  epsilon: number;
  /** Backpropagation's D and the central differences, flat (D⁽¹⁾, D⁽²⁾ …). */
  analytic: Float64Array;
  numeric: Float64Array;
  /** The parameters where they differ most, largest first. */
  worst: { layer: number; row: number; col: number; analytic: number; numeric: number }[];
}

const ACTIVATION = kinds.choice(ACTIVATION_NAMES);

/** Every option a network takes and its kind (the type makes the list complete). */
const NETWORK_OPTIONS = optionTable<NetworkOptions<Label>>('NeuralNetwork options', {
  ...DENSE_OPTIONS,
  layers: kinds.required(kinds.array(kinds.integer(1, 2 ** 24, ' units'), 2, 64)),
  activation: kinds.oneOf(`one of ${ACTIVATION_NAMES.join(', ')}, or one per hidden layer`, ACTIVATION, kinds.array(ACTIVATION)),
  output: kinds.choice(['sigmoid', 'softmax', 'linear']),
  classes: kinds.array(LABEL, 2, 65536),
  init: kinds.choice(['random', 'zeros']),
  seed: kinds.integer(0, 0xffffffff),
  epsilon: kinds.f32Positive(),
});

const HIDDEN_TARGET = optionTable<HiddenTarget>('hiddenInto target', { ...BUFFER_TARGET, layer: kinds.required(kinds.integer(0, Number.MAX_SAFE_INTEGER, ' (a hidden layer)')) });
const GRADIENT_CHECK_OPTIONS = optionTable<{ lambda?: number; epsilon?: number }>('gradientCheck options', { lambda: kinds.f32NonNegative(' (λ)'), epsilon: kinds.f32Positive(' (ε)') });

export class NeuralNetwork<L extends Label = number> extends DenseModel {
  constructor(ctx: GpuContext, options: NetworkOptions<L>) {
    checkOptions('options', options, NETWORK_OPTIONS);
    // With polynomial features the first layer takes their terms: x's n features make more inputs.
    const first = options.polynomial === undefined ? options.layers[0]! : checkPolynomial('options.polynomial', options.layers[0]!, options.polynomial);
    const layers = [first, ...options.layers.slice(1)];
    const output = options.output ?? 'sigmoid';
    const K = layers[layers.length - 1]!;
    if (output === 'softmax' && K < 2) throw new ArgumentError('options.layers', `a softmax output needs at least 2 units, got ${K}`);
    if (output === 'linear' && K !== 1) throw new ArgumentError('options.layers', `a linear output is one unit (one real target per example), got ${K}`);
    const init = options.init ?? 'random';
    const seed = options.seed ?? 0;
    const epsilon = options.epsilon;
    const activations = NeuralNetwork.checkActivations(options.activation, layers.length - 2);
    if (options.classes !== undefined && output === 'linear') throw new ArgumentError('options.classes', 'a linear output predicts values, not classes');
    const labels = options.classes === undefined ? undefined : checkLabels('options.classes', options.classes, K === 1 ? 2 : K);
    const head = output === 'linear' ? 'linear' : output === 'softmax' ? 'softmax' : K === 1 ? 'logistic' : 'sigmoid';
    // Refused before the random start-up weights are built on the CPU: Θ must fit one buffer.
    const bytes = 4 * ThetaLayout.count(layers);
    const limit = Math.min(checkContext(ctx).limits.maxBufferSize, ctx.limits.maxStorageBufferBindingSize);
    if (bytes > limit) throw new ArgumentError('options.layers', `${layers.join('-')} has ${(bytes / 4).toLocaleString('en')} parameters (${bytes.toLocaleString('en')} bytes), more than this device holds in one buffer (${limit.toLocaleString('en')} bytes)`);
    super(ctx, { label: `network ${layers.join('-')}`, head, hidden: layers.slice(1, -1), activations, outputs: K, normalizeByDefault: false, labels }, options);
    this.allocate(layers[0]!, init === 'zeros' ? undefined : NeuralNetwork.randomInit(layers, seed, epsilon), options.layers[0]);
    // What users of Keras, scikit-learn and brain.js expect of a network fit without options
    // (XOR trains to 100 % with them): Adam, α = 0.01, for 1,000 epochs.
    this.trainDefaults = { optimizer: 'adam', epochs: 1000 };
  }

  /** options.activation as one name per hidden layer. */
  private static checkActivations(activation: unknown, hidden: number): ActivationName[] {
    if (activation === undefined) return Array(hidden).fill('sigmoid');
    if (!Array.isArray(activation)) return Array(hidden).fill(checkActivation('options.activation', activation));
    if (activation.length !== hidden) throw new ArgumentError('options.activation', `must name ${hidden} activations, one per hidden layer, got ${activation.length}`);
    return activation.map((a, l) => checkActivation(`options.activation[${l}]`, a));
  }

  /**
   * Every Θ⁽ˡ⁾ uniform in [−εₗ, εₗ] (εₗ = √6/√(sₗ + sₗ₊₁) unless given), one seeded generator in
   * layer order, row-major: src/reference/network.ts's randomTheta, flattened — written straight
   * into one float32 array (4 bytes per parameter at the peak, not the reference's 20).
   */
  static randomInit(layers: readonly number[], seed: number, epsilon?: number): Float32Array<ArrayBuffer> {
    const out = new Float32Array(ThetaLayout.count(layers));
    const rng = new Random(seed);
    let at = 0;
    for (let l = 0; l + 1 < layers.length; l++) {
      const [s, next] = [layers[l]!, layers[l + 1]!];
      const eps = epsilon ?? Math.sqrt(6) / Math.sqrt(s + next);
      for (let i = next * (s + 1); i > 0; i--) out[at++] = rng.uniform(-eps, eps);
    }
    return out;
  }

  /** Θ⁽¹⁾ … Θ⁽ᴸ⁻¹⁾, each s_{l+1} × (s_l + 1) row-major, bias weights in column 0. */
  async getWeights(): Promise<Float64Array[]> {
    return this.layout!.split(await this.getTheta());
  }

  /** Sets every Θ⁽ˡ⁾ (as getWeights returns them: Float32Array, Float64Array or arrays); checked first. */
  setWeights(weights: readonly ArrayLike<number>[], normalization?: { mean: ArrayLike<number>; std: ArrayLike<number> }): void {
    const layers = this.layers!;
    if (!Array.isArray(weights) || weights.length !== layers.length - 1) {
      throw new ArgumentError('weights', `must be ${layers.length - 1} matrices Θ⁽¹⁾ … Θ⁽${layers.length - 1}⁾, got ${Array.isArray(weights) ? weights.length : String(weights)}`);
    }
    const flat = new Float64Array(ThetaLayout.count(layers));
    let at = 0;
    weights.forEach((w, l) => {
      const size = layers[l + 1]! * (layers[l]! + 1);
      if (w?.length !== size) throw new ArgumentError(`weights[${l}]`, `must hold ${layers[l + 1]}×${layers[l]! + 1} = ${size} values, got ${w?.length}`);
      for (let i = 0; i < size; i++) flat[at++] = (w as ArrayLike<number>)[i]!;
    });
    this.setTheta(flat, normalization);
  }

  /** hₖ for each example: m × K row-major (sigmoid units: each in (0, 1); softmax: rows sum to 1). */
  async predictProbabilities(x: FeaturesInput): Promise<Float64Array> {
    return Float64Array.from(await this.hypothesis(x));
  }

  /**
   * The prediction for each example: the class, argmax of h (the first on ties; 0/1 with a single
   * sigmoid unit), or with a linear output the value h itself.
   */
  async predict(x: FeaturesInput): Promise<L[]> {
    const h = await this.hypothesis(x);
    if (this.head === 'linear') return Array.from(h) as L[];
    return predictedClasses(h, this.outputs, this.labels) as L[];
  }

  /**
   * Writes hidden layer `layer`'s activations a⁽ˡ⁾ (2 … L − 1) for every example of x into the
   * caller's buffer (COPY_DST and STORAGE usage; one of the app's own) on the GPU, transposed:
   * s_l rows of m values from element `offset` — unit j's outputs over the examples in row j, as
   * a heat map of that unit over a grid of points reads them. `target` may also be a list: every
   * layer it names is written from the same one forward pass. No readback.
   */
  async hiddenInto(x: FeaturesInput, target: HiddenTarget | readonly HiddenTarget[]): Promise<void> {
    const layers = this.layers!;
    const rows = readFeatures('x', x, this.features).rows;
    const several = Array.isArray(target);
    const list: readonly HiddenTarget[] = several ? target : [target as HiddenTarget];
    if (list.length === 0) throw new ArgumentError('target', 'must name at least one hidden layer');
    list.forEach((t, i) => checkOptions(several ? `target[${i}]` : 'target', t, HIDDEN_TARGET));
    const checked = list.map((t, i) => {
      const name = several ? `target[${i}]` : 'target';
      const layer = t.layer;
      if (!(layer >= 2 && layer <= layers.length - 1)) throw new ArgumentError(`${name}.layer`, `must be a hidden layer, 2 … ${layers.length - 1}, got ${String(layer)}`);
      const s = layers[layer - 1]!;
      const { buffer, offset } = checkTarget(this.ctx, t, rows, s, name);
      if (!(buffer.usage & BufferUsage.STORAGE)) throw new ArgumentError(`${name}.buffer`, 'must have STORAGE usage (the copy is a kernel)');
      return { layer, s, buffer, offset };
    });
    await this.pass(x, undefined, 'predict', 0, async ({ data, hidden }) => {
      for (const { layer, s, buffer, offset } of checked) {
        await copyHiddenTransposed(this.ctx, this.label, data.chunks.map((c, i) => ({ hidden: hidden[i]![layer - 2]!, start: c.start })), s, rows, { buffer, offset });
      }
    });
  }

  /** D⁽ˡ⁾ = ∂(J/m)/∂Θ⁽ˡ⁾ by backpropagation on (x, y), per layer, without updating. */
  async gradients(x: FeaturesInput, y: TargetsInput, options: { lambda?: number } = {}): Promise<Float64Array[]> {
    return this.layout!.split(await this.gradient(x, y, options));
  }

  /**
   * Numerical gradient checking: backpropagation's D against central differences
   * (J(Θ + εeₚ) − J(Θ − εeₚ)) / 2ε of the GPU's own cost, for every parameter. 2P cost passes:
   * meant for small networks (the lecture's 3-5-3), and to be turned off for training.
   * ε defaults to 1e−2 because the GPU computes J in float32: with ε = 1e−4 (right for float64)
   * J's rounding, about 1e−7·J, divided by 2ε would swamp the difference.
   */
  async gradientCheck(x: FeaturesInput, y: TargetsInput, options: { lambda?: number; epsilon?: number } = {}): Promise<GradientCheckReport> {
    checkOptions('options', options, GRADIENT_CHECK_OPTIONS);
    const epsilon = options.epsilon ?? 1e-2;
    const lambda = options.lambda ?? 0;
    const analytic = await this.gradient(x, y, { lambda });
    const theta = await this.getTheta();
    const variants: Float32Array<ArrayBuffer>[] = [];
    for (let p = 0; p < theta.length; p++) {
      for (const sign of [1, -1]) {
        const v = Float32Array.from(theta);
        v[p] = theta[p]! + sign * epsilon;
        variants.push(v);
      }
    }
    const costs = await this.costsAt(x, y, lambda, variants);
    // The step actually taken in f32, not the ε asked for.
    const numeric = Float64Array.from(theta, (t, p) => {
      const up = Math.fround(t + epsilon) - t;
      const down = t - Math.fround(t - epsilon);
      return (costs[2 * p]! - costs[2 * p + 1]!) / (up + down);
    });
    const layout = this.layout!;
    const worst = Array.from(theta.keys())
      .sort((a, b) => Math.abs(analytic[b]! - numeric[b]!) - Math.abs(analytic[a]! - numeric[a]!))
      .slice(0, 5)
      .map((p) => ({ ...layout.where(p), analytic: analytic[p]!, numeric: numeric[p]! }));
    return { relativeDifference: relativeDifference(analytic, numeric), epsilon, analytic, numeric, worst };
  }

  /** J/m on (x, y) at each Θ of `variants` (flat, like getTheta()), all queued at once; Θ is unchanged after. */
  private async costsAt(x: FeaturesInput, y: TargetsInput, lambda: number, variants: readonly Float32Array<ArrayBuffer>[]): Promise<Float64Array> {
    if (variants.length === 0) return new Float64Array(0);
    return this.pass(x, y, 'cost', lambda, async ({ history }) => {
      const h = await this.ctx.read(history, 0, 2 * variants.length);
      return Float64Array.from(variants, (_, i) => h[2 * i]!);
    }, variants);
  }

  async toJSON(): Promise<NetworkJSON> {
    return { format: 'wgsl-learn/network', ...(await this.saveDense()) };
  }

  /** A network from toJSON()'s data; checks everything first. */
  static load<L extends Label = number>(ctx: GpuContext, json: NetworkJSON, options: DenseOptions = {}): NeuralNetwork<L> {
    // Everything is checked on the CPU first: nothing is allocated from an unchecked size.
    const saved = checkSaved(json, 'wgsl-learn/network');
    const given = loadOptions(options, saved);
    const output = saved.head === 'softmax' ? 'softmax' : saved.head === 'linear' ? 'linear' : 'sigmoid';
    // layers[0] is x's features; with polynomial features the saved first layer holds their terms.
    const layers = saved.polynomial ? [saved.polynomial.inputs, ...saved.layers.slice(1)] : saved.layers;
    const net = fromSaved(saved, () => new NeuralNetwork<L>(ctx, { ...given, layers, activation: saved.activations, output, ...(saved.classes ? { classes: saved.classes as L[] } : {}), init: 'zeros' }));
    try {
      net.restoreDense(saved);
    } catch (e) {
      net.destroy();
      throw e;
    }
    return net;
  }
}
