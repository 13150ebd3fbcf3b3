// Every GPU test case, in the order both runners (Node and Chromium) execute them.

import type { GpuCase } from '../support/gpu.js';
import { activationCases } from './activation.cases.js';
import { badInputCases } from './bad-input.cases.js';
import { continueCases } from './continue.cases.js';
import { costSurfaceCases } from './cost-surface.cases.js';
import { divergenceCases } from './divergence.cases.js';
import { earlyStoppingCases } from './early-stopping.cases.js';
import { epochEndCases } from './epoch-end.cases.js';
import { saveLoadCases } from './save-load.cases.js';
import { selectionCases } from './selection.cases.js';
import { stopCases } from './stop.cases.js';
import { embeddingCases } from './embedding.cases.js';
import { imageCases } from './image.cases.js';
import { matmulCases } from './matmul.cases.js';
import { networkCases } from './network.cases.js';
import { plotCases } from './plot.cases.js';
import { polynomialCases } from './polynomial.cases.js';
import { regressionCases } from './regression.cases.js';
import { reliabilityCases } from './reliability.cases.js';
import { runtimeCases } from './runtime.cases.js';
import { sigmoidCases } from './sigmoid.cases.js';
import { trainingKernelCases } from './training.cases.js';

export const allCases: GpuCase[] = [...runtimeCases, ...sigmoidCases, ...activationCases, ...matmulCases, ...trainingKernelCases, ...epochEndCases, ...regressionCases, ...costSurfaceCases, ...divergenceCases, ...stopCases, ...earlyStoppingCases, ...continueCases, ...selectionCases, ...polynomialCases, ...networkCases, ...saveLoadCases, ...plotCases, ...imageCases, ...embeddingCases, ...reliabilityCases, ...badInputCases];
