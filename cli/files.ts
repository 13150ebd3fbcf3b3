// The command line's files: inputs read with their size checked first, and outputs checked
// before any work (a directory that does not exist, a path that is a directory, two outputs or
// an output and an input on the same file are usage errors before training starts) and written
// atomically — to a temporary file beside the target, flushed, then renamed over it — so a
// failed or interrupted run never leaves half a file where a good one was.

import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { UsageError } from './args.js';

/** The largest input file read (CSV, model, image): 512 MiB. */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

/** A file's bytes, after checking it is a file of at most `limit` bytes; `flag` names it in errors. */
export function readInput(path: string, flag: string, limit = MAX_INPUT_BYTES): Buffer {
  let size: number;
  try {
    const s = statSync(path);
    if (!s.isFile()) throw new UsageError(`${flag}: ${path} is not a file`);
    size = s.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${flag}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (size > limit) throw new UsageError(`${flag}: ${path} is ${(size / 2 ** 20).toFixed(0)} MiB, more than the ${limit / 2 ** 20} MiB this command reads`);
  return readFileSync(path);
}

/** Checks the outputs (flag → path) can be written, and that none is another output or an input. */
export function checkOutputs(outputs: Record<string, string | undefined>, inputs: readonly string[]): void {
  const seen = new Map<string, string>(inputs.map((p) => [resolve(p), 'an input']));
  for (const [flag, path] of Object.entries(outputs)) {
    if (path === undefined) continue;
    const full = resolve(path);
    const other = seen.get(full);
    if (other) throw new UsageError(`${flag}: ${path} is also ${other}; give each output its own file`);
    seen.set(full, `the file of ${flag}`);
    let dir;
    try {
      dir = statSync(dirname(full));
    } catch {
      throw new UsageError(`${flag}: the folder ${dirname(path)} does not exist`);
    }
    if (!dir.isDirectory()) throw new UsageError(`${flag}: ${dirname(path)} is not a folder`);
    probe(flag, path);
    try {
      if (statSync(full).isDirectory()) throw new UsageError(`${flag}: ${path} is a folder`);
    } catch (e) {
      if (e instanceof UsageError) throw e; // a file that does not exist yet is fine
    }
  }
}

/** Removes a temporary file, if it was made at all (a name too long was not). */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // nothing there to remove
  }
}

/** The temporary file beside `path` that an atomic write goes through. */
function temporaryFor(path: string): string {
  return resolve(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
}

/**
 * Proves now that the write at the end can happen: creates the temporary file beside `path`
 * and removes it (a read-only folder, or one like /proc where no file can be made, fails here,
 * before any work, instead of after it).
 */
function probe(flag: string, path: string): void {
  const temporary = temporaryFor(path);
  try {
    closeSync(openSync(temporary, 'wx', 0o644));
  } catch (e) {
    throw new UsageError(`${flag}: cannot write beside ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  } finally {
    removeQuietly(temporary);
  }
}

/** Writes `data` to `path` atomically (temporary file, fsync, rename). */
export function writeAtomically(path: string, data: string | Uint8Array): void {
  const temporary = temporaryFor(path);
  try {
    const fd = openSync(temporary, 'w', 0o644);
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (e) {
    removeQuietly(temporary);
    throw new Error(`could not write ${path}: ${(e as Error).message}`);
  }
}
