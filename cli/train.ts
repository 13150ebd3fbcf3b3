// The headless digit trainer, in Node on Dawn (a GPU, or SwiftShader):
//
//   npm run train -- [--hidden 25] [--output softmax] [--lambda 1] [--alpha 0.01] [--optimizer adam]
//                    [--batch 100] [--epochs 10] [--seed 0] [--out model.json] [--metrics metrics.json] [--onnx model.onnx]
//
// Prints the adapter (and a warning for a software one), a progress bar on a terminal (plain
// lines otherwise), then writes the model, the metrics and the ONNX file asked for. Bad
// options print the usage and exit with 2. The data file comes from scripts/digits.mjs (run
// first by `npm run train`).

import { readFileSync } from 'node:fs';
import { createContext } from '../src/gpu/context.js';
import { parseDigits } from '../src/data/digits.js';
import { formatProgress, trainDigits } from './train-digits.js';
import { describeAdapter, describeSettings, readCommand, writeOutputs } from './common.js';

export async function main(argv: string[]): Promise<number> {
  const cmd = readCommand(argv);
  if (typeof cmd === 'number') return cmd;
  const digits = parseDigits(readFileSync(new URL('../demo/public/digits-20x20.bin', import.meta.url)));
  const ctx = await createContext();
  try {
    console.log(`adapter: ${describeAdapter(ctx.adapter)}`);
    if (ctx.adapter.isFallbackAdapter) console.warn('warning: this is a software (fallback) adapter: training runs on the CPU, many times slower than on a GPU');
    const s = cmd.settings;
    console.log(describeSettings(s));
    const tty = process.stdout.isTTY;
    const { network, metrics } = await trainDigits(ctx, digits, s, (p) => {
      if (tty) process.stdout.write(`\r${formatProgress(p, process.stdout.columns ?? 100)}\x1b[K`);
      else console.log(formatProgress(p));
    });
    if (tty) process.stdout.write('\n');
    try {
      console.log(`trained ${metrics.epochs} epochs in ${metrics.seconds.toFixed(1)} s: training accuracy ${(100 * metrics.trainAccuracy).toFixed(2)} %, test accuracy ${(100 * metrics.testAccuracy).toFixed(2)} %, J/m ${metrics.finalCost.toFixed(4)}`);
      for (const line of writeOutputs(cmd, { model: await network.toJSON(), metrics, onnx: cmd.onnx ? await network.toONNX() : undefined })) console.log(line);
    } finally {
      network.destroy();
    }
  } finally {
    ctx.destroy();
  }
  return 0;
}
