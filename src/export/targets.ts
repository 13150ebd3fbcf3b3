// Where users keep models, for save(target) and load(ctx, source): a file path in Node (written
// atomically: a temporary file in the same folder, renamed over the target, so a failed write
// never leaves half a model where a good one was), the browser's IndexedDB, a download, or a
// File/Blob, bytes or a parsed JSON object. JSON or ONNX, chosen by the path's extension or
// `format`, and told apart on reading by their first bytes. Node's fs is imported only on the
// path that uses it (src/node/files.ts).

import { ArgumentError } from '../gpu/errors.js';
import { checkOptions, kinds, optionTable } from '../options.js';

/** A place to save a model. */
export type SaveTarget =
  | string
  | { path: string; format?: 'json' | 'onnx' }
  | { indexedDB: string; format?: 'json' | 'onnx' }
  | { download: string; format?: 'json' | 'onnx' };

/** A saved model to load. */
export type LoadSource = string | { path: string } | { indexedDB: string } | Blob | Uint8Array | ArrayBuffer | { format: string };

/** The model in the two forms it can be written in. */
export interface SavedForms {
  /** Θ's size, to refuse a JSON too large before it is made. */
  parameters: number;
  json(): Promise<object>;
  onnx(): Promise<Uint8Array>;
}

const DB = 'wgsl-learn';
const STORE = 'models';

function idb<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  if (typeof indexedDB === 'undefined') throw new ArgumentError('target.indexedDB', 'needs a browser with IndexedDB');
  return new Promise<T>((resolve, reject) => {
    const open = indexedDB.open(DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onerror = () => reject(open.error ?? new Error('IndexedDB: could not open the database'));
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(STORE, mode);
      const request = act(tx.objectStore(STORE));
      tx.oncomplete = () => {
        db.close();
        resolve(request.result);
      };
      tx.onerror = tx.onabort = () => {
        db.close();
        reject(tx.error ?? new Error('IndexedDB: the transaction failed'));
      };
    };
  });
}

/** save()'s target as an object: one place, and optionally the format. */
const SAVE_TARGET = optionTable<{ path: string; indexedDB: string; download: string; format?: 'json' | 'onnx' }>('save target', {
  path: kinds.name, indexedDB: kinds.name, download: kinds.name, format: kinds.choice(['json', 'onnx']),
});

/** load()'s source as an object that names a place (any other object is a saved model). */
const LOAD_SOURCE = optionTable<{ path: string; indexedDB: string }>('load source', { path: kinds.name, indexedDB: kinds.name });

/** The target checked: where, and in which format. */
function resolveTarget(target: SaveTarget): { where: 'path' | 'indexedDB' | 'download'; name: string; format: 'json' | 'onnx' } {
  if (typeof target === 'string' && target.length === 0) throw new ArgumentError('target', 'must be a non-empty path');
  const t = typeof target === 'string' ? { path: target } : target;
  checkOptions('target', t, SAVE_TARGET);
  const entries = (['path', 'indexedDB', 'download'] as const).filter((k) => (t as Record<string, unknown>)[k] !== undefined);
  if (entries.length !== 1) throw new ArgumentError('target', 'must name one place: path, indexedDB or download');
  const where = entries[0]!;
  const name = (t as Record<string, string>)[where]!;
  const format = t.format ?? (name.toLowerCase().endsWith('.onnx') ? 'onnx' : 'json');
  return { where, name, format };
}

/** Writes the model to `target`. */
export async function writeTarget(target: SaveTarget, forms: SavedForms): Promise<void> {
  const { where, name, format } = resolveTarget(target);
  if (format === 'json') checkJsonSize(forms.parameters, 'target');
  const data = format === 'onnx' ? await forms.onnx() : await forms.json();
  if (where === 'indexedDB') {
    await idb('readwrite', (s) => s.put(data, name));
  } else if (where === 'download') {
    if (typeof document === 'undefined') throw new ArgumentError('target.download', 'needs a browser page');
    const blob = new Blob([format === 'onnx' ? Uint8Array.from(data as Uint8Array) : JSON.stringify(data)], { type: format === 'onnx' ? 'application/octet-stream' : 'application/json' });
    const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: name });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
  } else {
    const bytes = format === 'onnx' ? (data as Uint8Array) : new TextEncoder().encode(JSON.stringify(data));
    await (await nodeFiles('target.path')).writeFileAtomically(name, bytes);
  }
}

/** Node only: the file module, loaded on the path that needs it. */
async function nodeFiles(who: string): Promise<typeof import('../node/files.js')> {
  if (typeof process === 'undefined' || !process.versions?.node) throw new ArgumentError(who, 'needs Node (in a browser use { indexedDB }, { download } or a File)');
  return import('../node/files.js');
}

/** What a source holds: a parsed JSON model, or ONNX bytes. */
export async function readSource(source: LoadSource): Promise<{ json: unknown } | { onnx: Uint8Array }> {
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) return fromBytes(new Uint8Array(source), 'source');
  if (typeof Blob !== 'undefined' && source instanceof Blob) return fromBytes(new Uint8Array(await source.arrayBuffer()), 'source');
  if (typeof source === 'string') return readSource({ path: source });
  if (source === null || typeof source !== 'object') throw new ArgumentError('source', 'must be a path, { path }, { indexedDB: name }, a File, bytes or a saved model object');
  const keys = Object.keys(source);
  const place = keys.length === 1 && (keys[0] === 'path' || keys[0] === 'indexedDB');
  if (place) checkOptions('source', source, LOAD_SOURCE);
  if (place && 'indexedDB' in source) {
    const stored = await idb('readonly', (s) => s.get(source.indexedDB));
    if (stored === undefined) throw new ArgumentError('source.indexedDB', `no model is saved as ${JSON.stringify(source.indexedDB)}`);
    return stored instanceof Uint8Array ? { onnx: stored } : { json: stored };
  }
  if (place && 'path' in source) {
    const bytes = await (await nodeFiles('source.path')).readModelFile(source.path);
    return fromBytes(bytes, 'source.path');
  }
  return { json: source };
}

/**
 * The largest JSON model read or written: 256 MiB (about 10 million parameters at 25 characters
 * each). A JavaScript string holds at most 2²⁹ − 24 characters, so a larger JSON text could not
 * even be decoded; save a larger model as ONNX, 4 bytes a parameter.
 */
export const MAX_JSON_MODEL_BYTES = 256 * 2 ** 20;

/** Bytes a parameter takes in a JSON model at most: a float32 printed in full, and its comma. */
export const JSON_BYTES_PER_PARAMETER = 25;

/** Refuses a model too large to save as JSON, before its text is made (where past 2²⁹ characters it would throw RangeError). */
export function checkJsonSize(parameters: number, who: string): void {
  const bytes = parameters * JSON_BYTES_PER_PARAMETER;
  if (bytes > MAX_JSON_MODEL_BYTES) {
    throw new ArgumentError(who, `a model of ${parameters.toLocaleString('en')} parameters takes up to ${(bytes / 2 ** 20).toFixed(0)} MiB as JSON, more than the ${MAX_JSON_MODEL_BYTES / 2 ** 20} MiB a JSON model may be: save it as ONNX (a path ending in .onnx, or format: 'onnx')`);
  }
}

/** Whether `bytes` are JSON: '{' after an optional UTF-8 byte order mark and white space (ONNX's protobuf never starts so). */
export function isJson(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x7b;
}

/** JSON (strict UTF-8; a byte order mark is dropped) or, anything else, ONNX's protobuf. */
export function fromBytes(bytes: Uint8Array, who: string): { json: unknown } | { onnx: Uint8Array } {
  if (!isJson(bytes)) return { onnx: bytes };
  if (bytes.length > MAX_JSON_MODEL_BYTES) throw new ArgumentError(who, `is a JSON model of ${(bytes.length / 2 ** 20).toFixed(0)} MiB, more than the ${MAX_JSON_MODEL_BYTES / 2 ** 20} MiB a JSON model may be (a larger model is saved as ONNX)`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ArgumentError(who, 'is not UTF-8 text: a JSON model is written in UTF-8');
  }
  try {
    return { json: JSON.parse(text) };
  } catch (e) {
    throw new ArgumentError(who, `is not valid JSON: ${(e as Error).message.slice(0, 200)}`);
  }
}
