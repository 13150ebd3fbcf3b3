// The float64 references: the plain loops from the lecture, the oracle for every GPU kernel.

export { hostMatrix, matmulReference, transpose, type HostMatrix, type MatmulReferenceOptions } from './matmul.js';
export { sigmoid, sigmoidDerivativeFromActivation, type ActivationReference } from './activations.js';
export {
  cost, costSurface, designMatrix, exampleCost, featureStats, gradient, hypothesisRow, logits, normalEquation, penalty, predictLabel,
  trainReference, type HeadName, type ReferenceTrainOptions,
} from './regression.js';
export {
  backprop, backpropExample, flatten, forward, networkCost, numericalGradient, randomTheta, relativeDifference, unflatten, type BackpropTrace, type NetworkReference,
} from './network.js';
