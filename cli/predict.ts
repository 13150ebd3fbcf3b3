// Predicts the digit in image files with a trained model, in Node on Dawn:
//
//   npm run predict -- --model model.json <image.png|image.pgm>…
//
// Each image (any size; white ink on black, or dark ink on a light background, which is
// inverted) goes through the resampling that prepared the training data — crop to the ink, fit
// 20×20 keeping the aspect ratio, area-average, quantise (src/data/downsample.mjs) — and the
// network's 10 class probabilities are printed. Exit status 2 for bad arguments or files.

import { readFileSync } from 'node:fs';
import { quantize, toDigit } from '../src/data/downsample.mjs';
import { createContext } from '../src/gpu/context.js';
import { ArgumentError } from '../src/gpu/errors.js';
import { NeuralNetwork, type NetworkJSON } from '../src/models/network.js';
import { ImageError, decodeImage, toInk } from '../src/node/images.js';

const USAGE = 'usage: npm run predict -- --model model.json <image.png|image.pgm>…';

export async function main(argv: string[]): Promise<number> {
  let model: string | undefined;
  const images: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--model') model = argv[++i];
    else if (argv[i]!.startsWith('--')) {
      console.error(`unknown option ${argv[i]}\n${USAGE}`);
      return 2;
    } else images.push(argv[i]!);
  }
  if (!model || images.length === 0) {
    console.error(`${model ? 'no image given' : '--model: expected a model file (npm run train -- --out model.json writes one)'}\n${USAGE}`);
    return 2;
  }
  let json: NetworkJSON;
  try {
    json = JSON.parse(readFileSync(model, 'utf8')) as NetworkJSON;
  } catch (e) {
    console.error(`--model: cannot read ${model} as JSON (${(e as Error).message})`);
    return 2;
  }
  const inputs: { name: string; pixels: Float32Array }[] = [];
  for (const file of images) {
    try {
      const image = decodeImage(readFileSync(file), file);
      inputs.push({ name: file, pixels: Float32Array.from(quantize(toDigit(toInk(image), image.width, image.height, 20)), (v) => v / 255) });
    } catch (e) {
      if (!(e instanceof ImageError) && (e as NodeJS.ErrnoException).code === undefined) throw e;
      console.error(e instanceof ImageError ? e.message : `${file}: ${(e as Error).message}`);
      return 2;
    }
  }
  const ctx = await createContext();
  let network: NeuralNetwork | undefined;
  try {
    try {
      network = NeuralNetwork.load(ctx, json);
    } catch (e) {
      if (!(e instanceof ArgumentError)) throw e;
      console.error(`--model: ${model} is not a wgsl-learn network: ${e.message}`);
      return 2;
    }
    if (network.layers![0] !== 400 || network.outputs !== 10) {
      console.error(`--model: ${model} is a ${network.layers!.join('-')} network; digits need 400 inputs and 10 outputs`);
      return 2;
    }
    const x = { rows: inputs.length, cols: 400, data: new Float32Array(inputs.length * 400) };
    inputs.forEach((input, i) => x.data.set(input.pixels, i * 400));
    const h = await network.predictProbabilities(x);
    inputs.forEach((input, i) => {
      const row = Array.from(h.subarray(i * 10, (i + 1) * 10));
      // 10 sigmoid units (one-vs-all) are shown as shares of their sum, like the demo page.
      const sum = network!.head === 'softmax' ? 1 : row.reduce((s, v) => s + v, 0) || 1;
      const p = row.map((v) => v / sum);
      const best = p.indexOf(Math.max(...p));
      console.log(`${input.name}: ${best} (${(100 * p[best]!).toFixed(2)} %)  ${p.map((v, k) => `${k}: ${(100 * v).toFixed(2)} %`).join(', ')}`);
    });
  } finally {
    network?.destroy();
    ctx.destroy();
  }
  return 0;
}
