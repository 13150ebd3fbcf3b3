// Node only: model files on disk. Written as careful tools write (./write-files.ts): to a
// temporary file beside where the path lands, then renamed over it — so a failed or interrupted
// write never leaves half a model where a good one was — links followed, the mode kept.
// Imported dynamically by src/export/targets.ts, never by browser code paths.

import { readFile, stat } from 'node:fs/promises';
import { ArgumentError } from '../gpu/errors.js';
import { writeFiles } from './write-files.js';

export async function writeFileAtomically(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFiles([{ path, data: bytes }]);
  } catch (e) {
    throw new ArgumentError('target.path', `could not be written: ${(e as Error).message}`);
  }
}

/** The largest model file read: 1 GiB (a JSON text past 512 MiB cannot be parsed anyway). */
export const MAX_MODEL_BYTES = 2 ** 30;

export async function readModelFile(path: string): Promise<Uint8Array> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error('not a file');
    size = s.size;
  } catch (e) {
    throw new ArgumentError('source.path', `could not be read: ${(e as Error).message}`);
  }
  if (size > MAX_MODEL_BYTES) throw new ArgumentError('source.path', `is ${(size / 2 ** 20).toFixed(0)} MiB, more than the 1 GiB a model file may be`);
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new ArgumentError('source.path', `could not be read: ${(e as Error).message}`);
  }
}
