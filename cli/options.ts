// The digit trainer's options, shared by the command line (cli/train.ts), the Puppeteer runner
// (cli/train-browser.ts) and the page the runner drives: parsed and checked once, defaults
// equal to the demo page's (400-25-10, softmax, λ = 1, Adam with α = 0.01, batches of 100,
// 10 epochs, seed 0).

import type { OptimizerName } from '../src/index.js';

export interface DigitSettings {
  hidden: number[];
  output: 'softmax' | 'sigmoid';
  lambda: number;
  alpha: number;
  optimizer: OptimizerName;
  batch: number | 'full';
  epochs: number;
  seed: number;
}

export interface TrainCommand {
  settings: DigitSettings;
  /** Files to write: the model JSON, the metrics JSON, the ONNX file. */
  out?: string;
  metrics?: string;
  onnx?: string;
  help: boolean;
}

export const DEFAULT_SETTINGS: DigitSettings = {
  hidden: [25], output: 'softmax', lambda: 1, alpha: 0.01, optimizer: 'adam', batch: 100, epochs: 10, seed: 0,
};

export const TRAIN_USAGE = `usage: npm run train -- [options]          (npm run train:browser -- [options]: the same in headless Chrome)

Trains the 20×20 digit classifier (8,000 training digits, 2,000 test digits) on WebGPU.

  --hidden <units>       hidden layers, e.g. 25 or 100,25              (default 25)
  --output <kind>        softmax, or sigmoid (10 one-vs-all units)     (default softmax)
  --lambda <λ>           L2 regularisation, ≥ 0                        (default 1)
  --alpha <α>            learning rate, > 0                            (default 0.01)
  --optimizer <name>     adam, momentum or sgd                         (default adam)
  --batch <n|full>       examples per step                             (default 100)
  --epochs <n>           passes over the training digits               (default 10)
  --seed <n>             initialisation and shuffle seed               (default 0)
  --out <file>           write the trained model (JSON; NeuralNetwork.load reads it)
  --metrics <file>       write { adapter, layers, epochs, seconds, trainAccuracy, testAccuracy, finalCost }
  --onnx <file>          write the model as ONNX
  --help                 this text`;

/** A command line that cannot be run: the message says which option and what was expected. */
export class UsageError extends Error {
  override name = 'UsageError';
}

function number(option: string, text: string | undefined, ok: (v: number) => boolean, expected: string): number {
  const v = Number(text);
  if (text === undefined || text.trim() === '' || !ok(v)) throw new UsageError(`${option}: expected ${expected}, got ${text === undefined ? 'nothing' : `"${text}"`}`);
  return v;
}

/** Parses the trainer's arguments; throws UsageError naming the option at fault. */
export function parseTrainArgs(argv: readonly string[]): TrainCommand {
  const s: DigitSettings = { ...DEFAULT_SETTINGS, hidden: [...DEFAULT_SETTINGS.hidden] };
  const cmd: TrainCommand = { settings: s, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag}: expected a value`);
      return v;
    };
    switch (flag) {
      case '--hidden': {
        const text = value();
        const units = text.split(/[,\s]+/).filter(Boolean).map(Number);
        if (!units.every((u) => Number.isInteger(u) && u >= 1 && u <= 4096)) throw new UsageError(`--hidden: expected unit counts such as 25 or 100,25 (each 1 … 4096), got "${text}"`);
        s.hidden = units;
        break;
      }
      case '--output': {
        const v = value();
        if (v !== 'softmax' && v !== 'sigmoid') throw new UsageError(`--output: expected softmax or sigmoid, got "${v}"`);
        s.output = v;
        break;
      }
      case '--lambda': s.lambda = number('--lambda', value(), (v) => Number.isFinite(v) && v >= 0, 'a number ≥ 0'); break;
      case '--alpha': s.alpha = number('--alpha', value(), (v) => Number.isFinite(v) && v > 0, 'a number > 0'); break;
      case '--optimizer': {
        const v = value();
        if (v !== 'adam' && v !== 'momentum' && v !== 'sgd') throw new UsageError(`--optimizer: expected adam, momentum or sgd, got "${v}"`);
        s.optimizer = v;
        break;
      }
      case '--batch': {
        const v = value();
        s.batch = v === 'full' ? 'full' : number('--batch', v, (n) => Number.isInteger(n) && n >= 1 && n <= 8000, "an integer from 1 to 8000, or full");
        break;
      }
      case '--epochs': s.epochs = number('--epochs', value(), (v) => Number.isInteger(v) && v >= 1 && v <= 100_000, 'an integer from 1 to 100000'); break;
      case '--seed': s.seed = number('--seed', value(), (v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff, 'an integer from 0 to 4294967295'); break;
      case '--out': cmd.out = value(); break;
      case '--metrics': cmd.metrics = value(); break;
      case '--onnx': cmd.onnx = value(); break;
      case '--help': case '-h': cmd.help = true; break;
      default: throw new UsageError(`unknown option ${arg}`);
    }
  }
  return cmd;
}
