// `wgsl-learn train`: a network on a CSV file (./train-csv.ts) or on the built-in digits — the
// digit routine shared with `npm run train:browser` (cli/train-digits.ts), whose metrics file
// keeps its own form ({ adapter, layers, epochs, seconds, trainAccuracy, testAccuracy, finalCost }).
//
//   wgsl-learn train data.csv --target <column> [options]
//   wgsl-learn train --digits [--hidden 25] [--output softmax] [--epochs 10] [--out model.json] …

import { createContext } from '../../src/index.js';
import { checkOutputs } from '../files.js';
import { type TrainCommand, TRAIN_USAGE, digitSettings, parseTrainArgs } from '../options.js';
import { checkModelSize, describeSettings, printAdapter, writeOutputs } from '../common.js';
import { loadDigits } from '../digits.js';
import { progressPrinter } from '../progress.js';
import { divergedLines } from '../fit-result.js';
import { trainDigits } from '../train-digits.js';
import { trainCsv } from './train-csv.js';

export async function train(argv: readonly string[]): Promise<number> {
  const cmd = parseTrainArgs(argv);
  if (cmd.help) {
    console.log(TRAIN_USAGE);
    return 0;
  }
  return 'digits' in cmd.source ? trainOnDigits(cmd) : trainCsv(cmd, cmd.source);
}

async function trainOnDigits(cmd: TrainCommand): Promise<number> {
  const s = digitSettings(cmd.settings);
  checkOutputs({ '--out': cmd.out, '--metrics': cmd.metrics, '--onnx': cmd.onnx }, []);
  checkModelSize([400, ...s.hidden, 10]);
  const digits = await loadDigits((line) => console.log(line));
  const ctx = await createContext();
  try {
    printAdapter(ctx.adapter);
    console.log(describeSettings([400, ...s.hidden, 10], s));
    const progress = progressPrinter();
    const { network, metrics } = await trainDigits(ctx, digits, s, (p) => progress.show(p));
    progress.done();
    try {
      if (metrics.diverged) console.error(divergedLines(metrics.diverged));
      console.log(`trained ${metrics.epochs} epochs in ${metrics.seconds.toFixed(1)} s: training accuracy ${(100 * metrics.trainAccuracy).toFixed(2)} %, test accuracy ${(100 * metrics.testAccuracy).toFixed(2)} %, J/m ${metrics.finalCost.toFixed(4)}`);
      const model = JSON.stringify(await network.toJSON());
      for (const line of await writeOutputs(cmd, { model, metrics, onnx: cmd.onnx ? await network.toONNX() : undefined })) console.log(line);
      return metrics.diverged ? 1 : 0;
    } finally {
      network.destroy();
    }
  } finally {
    ctx.destroy();
  }
}
