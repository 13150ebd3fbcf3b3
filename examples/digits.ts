// Headless training of the 20×20 digit classifier, in Node on Dawn (a GPU, or SwiftShader):
//
//   npm run train -- [--layers 400-25-10] [--lambda 1] [--epochs 40] [--batch 100]
//                    [--optimizer adam] [--rate 0.01] [--seed 0] [--save model.json]
//
// Trains on the 8,000 training digits, reports the cost and accuracy as it goes, then the
// accuracy on the 2,000 test digits. The data file comes from scripts/digits.mjs (run first
// by `npm run train`).

import { readFileSync, writeFileSync } from 'node:fs';
import { createContext } from '../src/gpu/context.js';
import { NeuralNetwork } from '../src/models/network.js';
import { parseDigits } from '../src/data/digits.js';
import type { OptimizerName } from '../src/train/optimizer.js';

interface Args {
  layers: number[];
  lambda: number;
  epochs: number;
  batch: number | 'full';
  optimizer: OptimizerName;
  rate: number | undefined;
  seed: number;
  save: string | undefined;
}

function parse(argv: string[]): Args {
  const a: Args = { layers: [400, 25, 10], lambda: 1, epochs: 40, batch: 100, optimizer: 'adam', rate: undefined, seed: 0, save: undefined };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    switch (argv[i]) {
      case '--layers': a.layers = v!.split('-').map(Number); i++; break;
      case '--lambda': a.lambda = Number(v); i++; break;
      case '--epochs': a.epochs = Number(v); i++; break;
      case '--batch': a.batch = v === 'full' ? 'full' : Number(v); i++; break;
      case '--optimizer': a.optimizer = v as OptimizerName; i++; break;
      case '--rate': a.rate = Number(v); i++; break;
      case '--seed': a.seed = Number(v); i++; break;
      case '--save': a.save = v; i++; break;
      default: throw new Error(`unknown option ${argv[i]}; see the header of examples/digits.ts`);
    }
  }
  return a;
}

export async function main(argv: string[]): Promise<number> {
  const args = parse(argv);
  const digits = parseDigits(readFileSync(new URL('../demo/public/digits-20x20.bin', import.meta.url)));
  const ctx = await createContext();
  console.log(`adapter: ${ctx.adapter.description || ctx.adapter.vendor}${ctx.adapter.isFallbackAdapter ? ' (software fallback)' : ''}`);
  console.log(`data: ${digits.train.x.rows} training, ${digits.test.x.rows} test digits of ${digits.side}×${digits.side} (${digits.fingerprint})`);
  const network = new NeuralNetwork(ctx, { layers: args.layers, seed: args.seed });
  console.log(`network ${args.layers.join('-')}, λ = ${args.lambda}, ${args.optimizer}, batch ${args.batch}, ${args.epochs} epochs`);
  const t0 = performance.now();
  const result = await network.fit(digits.train.x, digits.train.y, {
    epochs: args.epochs,
    batchSize: args.batch,
    optimizer: args.optimizer,
    learningRate: args.rate,
    lambda: args.lambda,
    seed: args.seed,
    onEpoch: ({ epoch, cost, accuracy }) => {
      if (epoch % 5 === 4 || epoch === 0) console.log(`  epoch ${epoch + 1}: J/m ${cost.toFixed(4)}, training accuracy ${(100 * accuracy!).toFixed(2)} % (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const test = await network.cost(digits.test.x, digits.test.y, { lambda: args.lambda });
  const train = await network.cost(digits.train.x, digits.train.y, { lambda: args.lambda });
  console.log(`trained ${result.epochs} epochs in ${seconds.toFixed(1)} s (${((result.epochs * digits.train.x.rows) / seconds).toFixed(0)} examples/s)`);
  console.log(`training accuracy ${(100 * train.accuracy!).toFixed(2)} %, test accuracy ${(100 * test.accuracy!).toFixed(2)} %`);
  if (args.save) {
    writeFileSync(args.save, JSON.stringify(await network.toJSON()));
    console.log(`saved ${args.save}`);
  }
  network.destroy();
  ctx.destroy();
  return 0;
}
