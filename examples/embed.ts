// Embedding wgsl-learn in an app that owns its GPUDevice — the README's example, run as a test
// in Node (test/node/embed.test.ts) and in Chromium next to a render loop (test/browser/embed.ts):
// train on data already in the app's buffers, predict straight into another of its buffers,
// and give the device back as it was. In an app: import { … } from 'wgsl-learn'.

import { NeuralNetwork, type NetworkJSON, createContext } from '../src/index.js';

/**
 * x: m × n float32 features (row-major) and y: m class labels 0…2, both in the app's buffers
 * (COPY_SRC usage); h: m × 3 floats (COPY_DST usage) receives the class probabilities.
 */
export async function trainOnAppDevice(device: GPUDevice, data: { x: GPUBuffer; y: GPUBuffer; m: number; n: number }, h: GPUBuffer): Promise<NetworkJSON> {
  const ctx = await createContext({ device }); // the app's device: used as it is, never destroyed
  const net = new NeuralNetwork(ctx, { layers: [data.n, 16, 3], output: 'softmax', seed: 1 });
  const x = { buffer: data.x, rows: data.m, cols: data.n };
  await net.fit(x, { buffer: data.y, length: data.m }, { epochs: 40, optimizer: 'adam', learningRate: 0.02, batchSize: 32 });
  await net.predictInto(x, { buffer: h }); // no readback: h is on the GPU for the app's next pass
  const saved = await net.toJSON();
  net.destroy();
  ctx.destroy(); // frees every buffer the library made; the device and the app's buffers stay
  return saved;
}
