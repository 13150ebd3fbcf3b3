// What the commands share: the adapter line, and the files a training run writes — the model
// JSON, the metrics JSON and the ONNX file, each only when asked for, each written atomically.

import type { AdapterSummary } from '../src/index.js';
import { writeAtomically } from './files.js';

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

/** Writes the files `to` asks for (ONNX only when given); returns a line for each. */
export function writeOutputs(to: Outputs, r: { model: string; metrics: object; onnx: Uint8Array | undefined }): string[] {
  const lines: string[] = [];
  const write = (file: string, data: string | Uint8Array, what: string) => {
    writeAtomically(file, data);
    lines.push(`wrote ${what} to ${file}`);
  };
  if (to.out) write(to.out, r.model, 'the model');
  if (to.metrics) write(to.metrics, `${JSON.stringify(r.metrics, null, 2)}\n`, 'the metrics');
  if (to.onnx && r.onnx) write(to.onnx, r.onnx, 'the ONNX model');
  return lines;
}

/** The settings as one line, for the log. */
export function describeSettings(layers: readonly number[], s: { output: string; lambda: number; optimizer: string; alpha: number; batch: number | 'full'; epochs: number; seed: number; activation?: string | string[] }): string {
  const g = s.activation === undefined || layers.length <= 2 ? '' : `, g = ${[s.activation].flat().join(',')}`;
  return `network ${layers.join('-')} (${s.output}${g}), λ = ${s.lambda}, ${s.optimizer} α = ${s.alpha}, batch ${s.batch}, ${s.epochs} epochs, seed ${s.seed}`;
}
