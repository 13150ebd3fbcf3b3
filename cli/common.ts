// What the command line and the Puppeteer runner share: reading their options (usage on a bad
// one) and writing the model JSON, the metrics JSON and the ONNX file, each only when asked for.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AdapterSummary } from '../src/gpu/context.js';
import { TRAIN_USAGE, type TrainCommand, UsageError, parseTrainArgs } from './options.js';
import type { DigitMetrics } from './train-digits.js';
import type { NetworkJSON } from '../src/models/network.js';

export function describeAdapter(a: AdapterSummary): string {
  return `${[a.vendor, a.architecture, a.description].filter(Boolean).join(' · ') || 'unnamed'} (${a.source}${a.isFallbackAdapter ? ', software fallback' : ''})`;
}

/** Writes the files `cmd` asks for; returns a line for each. */
export function writeOutputs(cmd: TrainCommand, r: { model: NetworkJSON; metrics: DigitMetrics; onnx: Uint8Array | undefined }): string[] {
  const lines: string[] = [];
  const write = (file: string, data: string | Uint8Array, what: string) => {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, data);
    lines.push(`wrote ${what} to ${file}`);
  };
  if (cmd.out) write(cmd.out, JSON.stringify(r.model), 'the model');
  if (cmd.metrics) write(cmd.metrics, `${JSON.stringify(r.metrics, null, 2)}\n`, 'the metrics');
  if (cmd.onnx && r.onnx) write(cmd.onnx, r.onnx, 'the ONNX model');
  return lines;
}

/**
 * The command from `argv`, or the exit status when there is nothing to train: 2 after printing
 * the bad option and the usage, 0 after printing the help.
 */
export function readCommand(argv: readonly string[]): TrainCommand | number {
  let cmd: TrainCommand;
  try {
    cmd = parseTrainArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${e.message}\n\n${TRAIN_USAGE}`);
    return 2;
  }
  if (cmd.help) {
    console.log(TRAIN_USAGE);
    return 0;
  }
  return cmd;
}

/** The settings as one line, for the log. */
export function describeSettings(s: TrainCommand['settings']): string {
  return `network ${[400, ...s.hidden, 10].join('-')} (${s.output}), λ = ${s.lambda}, ${s.optimizer} α = ${s.alpha}, batch ${s.batch}, ${s.epochs} epochs, seed ${s.seed}`;
}
