// wgsl-learn's public surface: the GPU context, the kernels, the models and their trainer,
// and the float64 references. Plotting is its own entry point, `wgsl-learn/plot`
// (src/plot/index.ts), so an app that does not draw does not load it.
// The WebGPU types (GPUDevice, GPUBuffer …) come with the declarations: an app needs no set-up.

/// <reference types="@webgpu/types" preserve="true" />

export { createContext, GpuContext, captureErrors, type AdapterSummary, type ContextOptions } from './gpu/context.js';
export { ArgumentError, type Checkpoint, DeviceLostError, DivergenceError, GpuError, KernelCompileError, NoAdapterError } from './gpu/errors.js';
export { BufferUsage, MapMode, TextureUsage } from './gpu/flags.js';
export { type Dispatch, encodeDispatch, encodePass } from './gpu/kernel.js';
export type { GpuMatrix, GpuVector } from './gpu/matrix.js';
export { ACTIVATIONS, ACTIVATION_NAMES, type ActivationEntry, type ActivationName } from './activations.js';
export { createMatmul, matmul, type MatmulOp, type MatmulOptions, type MatmulShape } from './kernels/matmul.js';
export { TUNING_CANDIDATES, tuneMatmul, type TuneOptions, type TuneReport } from './tune/matmul.js';
export {
  activate, activationGradient, createActivation, createActivationGradient, createSigmoid, createSigmoidDerivative, sigmoid, sigmoidDerivative, type ElementwiseOp,
} from './kernels/activation.js';
export { LinearRegression } from './models/linear.js';
export { LogisticRegression, type LogisticOptions } from './models/logistic.js';
export { SoftmaxRegression, type SoftmaxOptions } from './models/softmax.js';
export { NeuralNetwork, type GradientCheckReport, type NetworkJSON, type NetworkOptions } from './models/network.js';
export type { HiddenTarget } from './models/hidden.js';
export type { CostReport, RegressionJSON, RegressionOptions } from './models/regression.js';
export type { DenseOptions } from './models/dense.js';
export type { WarmUpOptions } from './models/warm-up.js';
export type { LayerSummary, ModelSummary } from './models/summary.js';
export type { ClassReport, Evaluation } from './models/metrics.js';
export type { FeaturesInput, GpuFeatures, GpuTargets, TargetsInput } from './train/dataset.js';
export type { EpochReport, OptimizerName, TrainOptions } from './train/options.js';
export { TrainingRun, type TrainingResult } from './train/run.js';
export { loadONNX, readOnnx } from './export/onnx-load.js';
export { load, type AnyModel } from './export/load.js';
export { JSON_BYTES_PER_PARAMETER, MAX_JSON_MODEL_BYTES, type LoadSource, type SaveTarget } from './export/targets.js';
export { type ModelOutcome, type TrainableModel, type TrainManyOptions, trainMany } from './select/train-many.js';
export { type FoldScore, type SearchModel, type SearchOptions, type SearchResult, type SearchRow, type Spread, gridSearch } from './select/search.js';
export { type Curve, type LearningCurveOptions, type ValidationCurveOptions, learningCurve, validationCurve } from './select/curves.js';
export type { Configuration } from './select/grid.js';
export { MAX_DEGREE, MAX_TERMS, mapPolynomial, polynomialTerms, termCount } from './features/polynomial.js';
export { HOUSES } from './data/houses.js';
export { Random } from './random.js';
export { costText } from './show.js';
export { parseDigits, type DigitSet, type Digits } from './data/digits.js';
export type { Label } from './train/labels.js';
export { quantize, toDigit } from './data/downsample.mjs';
export { imageToDigit, type ImageToDigitOptions } from './kernels/image_to_digit.js';
export { costSurface, type CostSurfaceOptions } from './kernels/cost_surface.js';
export * as reference from './reference/index.js';
