// The model files of the command line: a wgsl-learn model JSON (what `train --out` writes and
// `load()` reads) that also names the CSV columns it was trained on — `dataset: { features,
// target }`, which the library ignores — or an ONNX file of one. Read and parsed before the GPU
// is asked for anything; checked whole by the library's load().

import { type AnyModel, type GpuContext, type NetworkJSON, load } from '../src/index.js';
import { UsageError } from './args.js';
import { readInput } from './files.js';

export interface DatasetColumns {
  /** The feature columns, in the order of the model's inputs. */
  features: string[];
  /** The column the model predicts. */
  target: string;
}

export type CliModelJSON = NetworkJSON & { dataset?: DatasetColumns };

export interface ModelFile {
  path: string;
  source: Uint8Array | { json: unknown };
  columns: DatasetColumns | undefined;
}

function columnsOf(json: unknown, path: string): DatasetColumns | undefined {
  const dataset = (json as { dataset?: unknown } | null)?.dataset;
  if (dataset === undefined) return undefined;
  const d = dataset as Partial<DatasetColumns> | null;
  const names = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
  if (d === null || typeof d !== 'object' || !names(d.features) || typeof d.target !== 'string') {
    throw new UsageError(`--model: ${path} has a "dataset" entry that is not { features: [column names], target: column name }`);
  }
  return { features: d.features, target: d.target };
}

/** Reads `path` (JSON, or ONNX by its bytes): nothing on the GPU yet. */
export function readModelFile(path: string | undefined): ModelFile {
  if (path === undefined) throw new UsageError('--model: expected a model file (wgsl-learn train --out model.json writes one)');
  const bytes = readInput(path, '--model', 1 << 30);
  const text = bytes.toString('latin1', 0, 64).replace(/^\xEF\xBB\xBF/, '').trimStart().startsWith('{') ? bytes.toString('utf8').replace(/^\uFEFF/, '') : undefined;
  // Anything but a JSON object is handed to the library as ONNX, whose reader checks it.
  if (text === undefined) return { path, source: new Uint8Array(bytes), columns: undefined };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--model: ${path} is not valid JSON (${(e as Error).message})`);
  }
  return { path, source: { json }, columns: columnsOf(json, path) };
}

/** The model on `ctx`; a file the library refuses is a UsageError naming it. */
export async function loadModel(ctx: GpuContext, file: ModelFile): Promise<AnyModel> {
  try {
    return await load(ctx, 'json' in file.source ? (file.source.json as { format: string }) : file.source);
  } catch (e) {
    if ((e as Error).name !== 'ArgumentError') throw e;
    throw new UsageError(`--model: ${file.path} is not a model wgsl-learn can read: ${(e as Error).message}`);
  }
}

/** What `train --out` writes: the model and its columns. */
export function modelFileText(json: NetworkJSON, columns: DatasetColumns | undefined): string {
  return JSON.stringify(columns ? { ...json, dataset: columns } : json);
}
