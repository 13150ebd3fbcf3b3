// wgsl-learn's public surface: the GPU context, the kernels, and their float64 references.

export { createContext, GpuContext, captureErrors, type AdapterSummary, type ContextOptions } from './gpu/context.js';
export { ArgumentError, GpuError, KernelCompileError, NoAdapterError } from './gpu/errors.js';
export { BufferUsage, MapMode } from './gpu/flags.js';
export { type Dispatch, encodeDispatch, encodePass } from './gpu/kernel.js';
export type { GpuMatrix, GpuVector } from './gpu/matrix.js';
export { createMatmul, matmul, type Activation, type MatmulOp, type MatmulOptions } from './kernels/matmul.js';
export { createSigmoid, createSigmoidDerivative, sigmoid, sigmoidDerivative, type ElementwiseOp } from './kernels/sigmoid.js';
export * as reference from './reference/index.js';
