import * as ort from 'onnxruntime-web';
import { it } from 'vitest';
import { createContext } from '../../src/gpu/context.js';
import { NeuralNetwork } from '../../src/models/network.js';
it('p', async () => {
  const ctx = await createContext();
  const net = new NeuralNetwork(ctx, { layers: [3, 4, 2], output: 'softmax', activation: 'tanh', normalize: true, seed: 4 });
  net.setTheta(Array.from({ length: 26 }, (_, i) => Math.sin(i)), { mean: [0.1, -0.2, 0.3], std: [1.5, 0.5, 2] });
  const base = await net.toONNX();
  const at = Number(process.env.AT);
  console.log(JSON.stringify(new TextDecoder('latin1').decode(base.subarray(at - 30, at + 20))), base[at]);
  const bad = Uint8Array.from(base); bad[at]! ^= Number(process.env.XOR);
  console.log(JSON.stringify(new TextDecoder('latin1').decode(bad.subarray(at - 30, at + 20))));
  try { const s = await ort.InferenceSession.create(bad); console.log('ok'); } catch (e) { console.log(String(e).slice(0, 400)); }
  ctx.destroy();
});
