// What the commands share: the adapter line, and the files a training run writes — the model
// JSON, the metrics JSON and the ONNX file, each only when asked for, each written atomically.

import { type AdapterSummary, JSON_BYTES_PER_PARAMETER, MAX_JSON_MODEL_BYTES, MAX_TERMS, termCount } from '../src/index.js';
import { UsageError } from './args.js';
import type { FileToWrite } from '../src/node/write-files.js';
import { writeAndSay } from './files.js';

export function describeAdapter(a: AdapterSummary): string {
  return `${[a.vendor, a.architecture, a.description].filter(Boolean).join(' · ') || 'unnamed'} (${a.source}${a.isFallbackAdapter ? ', software fallback' : ''})`;
}

/** The adapter line, and a warning for a software one. */
export function printAdapter(a: AdapterSummary): void {
  console.log(`adapter: ${describeAdapter(a)}`);
  if (a.isFallbackAdapter) console.warn('warning: this is a software (fallback) adapter: training runs on the CPU, many times slower than on a GPU');
}

export interface Outputs {
  out?: string;
  metrics?: string;
  onnx?: string;
}

/** Writes the files `to` asks for (ONNX only when given), all or none; returns a line for each. */
export async function writeOutputs(to: Outputs, r: { model: string; metrics: object; onnx: Uint8Array | undefined }): Promise<string[]> {
  const files: (FileToWrite & { what: string })[] = [];
  if (to.out) files.push({ path: to.out, data: r.model, what: 'the model' });
  if (to.metrics) files.push({ path: to.metrics, data: `${JSON.stringify(r.metrics, null, 2)}\n`, what: 'the metrics' });
  if (to.onnx && r.onnx) files.push({ path: to.onnx, data: r.onnx, what: 'the ONNX model' });
  return writeAndSay(files);
}

/**
 * Refuses, before training, a network whose model file would be too large to write as JSON (a
 * run that trained for hours and then could not save its model loses everything).
 */
export function checkModelSize(raw: readonly number[], degree?: number): void {
  const first = degree ? termCount(raw[0]!, degree) : raw[0]!;
  if (first > MAX_TERMS) throw new UsageError(`--degree: degree ${degree} of ${raw[0]} features makes more than ${MAX_TERMS.toLocaleString('en')} features; lower it`);
  const layers = [first, ...raw.slice(1)];
  let parameters = 0;
  for (let l = 0; l + 1 < layers.length; l++) parameters += (layers[l]! + 1) * layers[l + 1]!;
  const bytes = parameters * JSON_BYTES_PER_PARAMETER;
  if (bytes > MAX_JSON_MODEL_BYTES) {
    throw new UsageError(`--hidden: a network ${layers.join('-')} has ${parameters.toLocaleString('en')} parameters, up to ${(bytes / 2 ** 20).toFixed(0)} MiB as a JSON model file, more than the ${MAX_JSON_MODEL_BYTES / 2 ** 20} MiB one may be; use fewer hidden units`);
  }
}

/** The settings as one line, for the log. */
export function describeSettings(layers: readonly number[], s: { output: string; lambda: number; optimizer: string; alpha: number; batch: number | 'full'; epochs: number; seed: number; activation?: string | string[]; degree?: number }): string {
  const g = s.activation === undefined || layers.length <= 2 ? '' : `, g = ${[s.activation].flat().join(',')}`;
  const terms = s.degree ? `, the inputs' polynomial terms to degree ${s.degree} (${termCount(layers[0]!, s.degree)} features)` : '';
  return `network ${layers.join('-')} (${s.output}${g}${terms}), λ = ${s.lambda}, ${s.optimizer} α = ${s.alpha}, batch ${s.batch}, ${s.epochs} epochs, seed ${s.seed}`;
}
