// Node only: model files on disk. Written atomically — to a temporary file beside the target,
// then renamed over it — so a failed or interrupted write never leaves half a model where a good
// one was. Imported dynamically by src/export/targets.ts, never by browser code paths.

import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { ArgumentError } from '../gpu/errors.js';

export async function writeFileAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (e) {
    await rm(temporary, { force: true });
    throw new ArgumentError('target.path', `could not be written: ${(e as Error).message}`);
  }
}

export async function readModelFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new ArgumentError('source.path', `could not be read: ${(e as Error).message}`);
  }
}
