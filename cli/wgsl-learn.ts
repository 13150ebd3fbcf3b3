// The `wgsl-learn` command: train, tune, predict, evaluate and export (and write the digits), on anyone's CSV data or the
// built-in digits. The package's `bin` is this module built to JavaScript (dist/cli, by
// vite.cli.config.ts) so it starts at once; in the repository `npm run train` and
// `npm run predict` run it from source. Exit status: 0 done, 1 failed, 2 bad usage or bad input
// (the message names the option, or the file, line and column) — nothing is written then.

import { readFileSync } from 'node:fs';
import { type Flag, UsageError, describeFlags, flagKinds, parseArgs } from './args.js';
import { CsvError } from './csv.js';
import { closest } from '../src/spelling.js';
import { DIGITS_FLAGS, DIGITS_USAGE, writeDigits } from './commands/digits.js';
import { evaluate, EVALUATE_FLAGS, EVALUATE_USAGE } from './commands/evaluate.js';
import { exportModel, EXPORT_FLAGS, EXPORT_USAGE } from './commands/export.js';
import { predict, PREDICT_FLAGS, PREDICT_USAGE } from './commands/predict.js';
import { train } from './commands/train.js';
import { TUNE_FLAGS, TUNE_USAGE, tune } from './commands/tune.js';
import { TRAIN_FLAGS, TRAIN_USAGE } from './options.js';

/** Each command: what runs it, its flags (every one checked by kind as it is parsed), its help. */
export const COMMANDS: Record<string, { run: (argv: readonly string[]) => Promise<number>; flags: readonly Flag[]; usage: string; help: string }> = {
  train: { run: train, flags: TRAIN_FLAGS, usage: TRAIN_USAGE, help: 'train a network on a CSV file (--target <column>) or the digits (--digits)' },
  predict: { run: predict, flags: PREDICT_FLAGS, usage: PREDICT_USAGE, help: 'predict a CSV file, or the digit in PNG/PGM images' },
  evaluate: { run: evaluate, flags: EVALUATE_FLAGS, usage: EVALUATE_USAGE, help: 'accuracy, F1 and confusion (or RMSE and R²) on a labelled file' },
  tune: { run: tune, flags: TUNE_FLAGS, usage: TUNE_USAGE, help: 'choose λ, α and hidden layers by k-fold cross-validation (every fold\'s models at once on the GPU)' },
  export: { run: exportModel, flags: EXPORT_FLAGS, usage: EXPORT_USAGE, help: 'write a model as ONNX' },
  digits: { run: writeDigits, flags: DIGITS_FLAGS, usage: DIGITS_USAGE, help: 'write the built-in 20×20 digits to a file, for parseDigits in your own code' },
};

export const TOP_FLAGS: Flag[] = [
  { name: 'help', kind: flagKinds.switch, help: 'this text (wgsl-learn <command> --help: the command\'s options)' },
  { name: 'version', kind: flagKinds.switch, help: 'the version of wgsl-learn' },
];

export const USAGE = `usage: wgsl-learn <command> [options]

Supervised learning on WebGPU: neural networks trained by backpropagation, in WGSL compute shaders.

${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)}${c.help}`).join('\n')}

${describeFlags(TOP_FLAGS)}

  wgsl-learn train iris.csv --target species          # writes iris.model.json
  wgsl-learn predict --model iris.model.json iris.csv # CSV with a prediction column
  wgsl-learn train --digits --out digits.json && wgsl-learn predict --model digits.json seven.png`;

/** Version of the package this module ships in, from its package.json (read there when run from source). */
export const VERSION = typeof __WGSL_LEARN_VERSION__ === 'string' ? __WGSL_LEARN_VERSION__ : sourceVersion();

function sourceVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
declare const __WGSL_LEARN_VERSION__: string | undefined;

/** Runs the command line `argv` (without node and the script); resolves to the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  try {
    if (!command) {
      const { flags, positional } = parseArgs(argv, TOP_FLAGS);
      if (flags.has('version')) {
        console.log(VERSION);
        return 0;
      }
      if (flags.has('help') || argv.length === 0) {
        (argv.length === 0 ? console.error : console.log)(USAGE);
        return argv.length === 0 ? 2 : 0;
      }
      const near = closest(positional[0] ?? '', Object.keys(COMMANDS));
      throw new UsageError(`unknown command "${positional[0]}"${near ? ` (did you mean ${near}?)` : ''}: expected ${Object.keys(COMMANDS).join(', ')}`);
    }
    return await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`wgsl-learn ${command ? `${name}: ` : ''}${e.message}\n(wgsl-learn ${command ? `${name} ` : ''}--help lists the options)`);
      return 2;
    }
    if (e instanceof CsvError) {
      console.error(`wgsl-learn ${name}: ${e.message}\nnothing was written`);
      return 2;
    }
    const err = e as Error;
    console.error(`wgsl-learn ${name ?? ''}: ${err.name && err.name !== 'Error' ? `${err.name}: ` : ''}${err.message}`);
    if (process.env.WGSL_LEARN_DEBUG) console.error(err.stack);
    return err.name === 'NoAdapterError' || err.name === 'ArgumentError' ? 2 : 1;
  }
}
