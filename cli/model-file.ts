// The model files of the command line: a wgsl-learn model JSON (what `train --out` writes and
// `load()` reads) that also names the CSV columns it was trained on — `dataset: { features,
// target }`, which the library ignores — or an ONNX file of one. Read and parsed before the GPU
// is asked for anything; checked whole by the library's load().

import { type AnyModel, type GpuContext, type Label, MAX_JSON_MODEL_BYTES, type NetworkJSON, load, readOnnx } from '../src/index.js';
import { MAX_CLASSES, type TargetKind } from './table.js';
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

/** The metadata entry of an ONNX file that names the CSV columns (toONNX({ metadata }) writes it). */
export const DATASET_METADATA = 'wgsl-learn.dataset';

/** The ONNX model and its columns: read whole on the CPU here (the library reads it again on load). */
function onnxFile(path: string, bytes: Uint8Array): ModelFile {
  let dataset: string | undefined;
  try {
    dataset = readOnnx(bytes).metadata[DATASET_METADATA];
  } catch (e) {
    if ((e as Error).name !== 'ArgumentError') throw e;
    throw new UsageError(`--model: ${path} is not a model wgsl-learn can read: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = dataset === undefined ? {} : { dataset: JSON.parse(dataset) };
  } catch {
    throw new UsageError(`--model: ${path} has a ${DATASET_METADATA} entry that is not JSON`);
  }
  return { path, source: bytes, columns: columnsOf(json, path) };
}

/** The columns as ONNX metadata, for toONNX({ metadata }). */
export function datasetMetadata(columns: DatasetColumns | undefined): Record<string, string> {
  return columns ? { [DATASET_METADATA]: JSON.stringify(columns) } : {};
}

/** Reads `path` (JSON, or ONNX by its bytes): nothing on the GPU yet. */
export function readModelFile(path: string | undefined): ModelFile {
  if (path === undefined) throw new UsageError('--model: expected a model file (wgsl-learn train --out model.json writes one)');
  const bytes = readInput(path, '--model', 1 << 30);
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  // Anything but a JSON object is handed to the library as ONNX, whose reader checks it.
  if (!bytes.toString('latin1', start, start + 64).trimStart().startsWith('{')) return onnxFile(path, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  if (bytes.length > MAX_JSON_MODEL_BYTES) throw new UsageError(`--model: ${path} is a JSON model of ${(bytes.length / 2 ** 20).toFixed(0)} MiB, more than the ${MAX_JSON_MODEL_BYTES / 2 ** 20} MiB a JSON model may be (a larger model is kept as ONNX)`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start)));
  } catch (e) {
    throw new UsageError(`--model: ${path} is not ${e instanceof SyntaxError ? 'valid JSON' : 'UTF-8 text'} (${(e as Error).message.slice(0, 200)})`);
  }
  return { path, source: { json }, columns: columnsOf(json, path) };
}

/**
 * How the model reads a target column, from the file alone (before the GPU): a linear output's
 * values, or its classes — the labels it was trained with, or the indices 0 … K − 1. A file
 * too malformed to say is left to loadModel, which names what is wrong.
 */
export function modelTarget(file: ModelFile): TargetKind {
  let m: { head?: unknown; layers?: unknown; classes?: unknown };
  try {
    m = 'json' in file.source ? (file.source.json as typeof m) : readOnnx(file.source);
  } catch (e) {
    if ((e as Error).name !== 'ArgumentError') throw e;
    throw new UsageError(`--model: ${file.path} is not a model wgsl-learn can read: ${(e as Error).message}`);
  }
  if (m?.head === 'linear') return 'values';
  if (Array.isArray(m?.classes) && m.classes.length >= 2) return { classes: m.classes as Label[] };
  const layers = Array.isArray(m?.layers) ? (m.layers as unknown[]) : [];
  const K = layers[layers.length - 1];
  return typeof K === 'number' && Number.isInteger(K) && K >= 1 && K <= MAX_CLASSES ? { classes: Array.from({ length: Math.max(2, K) }, (_, k) => k) } : 'auto';
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
