// The command line's files: inputs read with their size checked first, and outputs checked
// before any work (a directory that does not exist, a path that is a directory, two outputs or
// an output and an input on the same file are usage errors before training starts) and written
// together as careful tools write (src/node/write-files.ts): all or none, through temporary
// files renamed into place, links followed, modes kept, devices and pipes written straight into.

import { accessSync, closeSync, constants, openSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Destination, type FileToWrite, WriteError, destination, temporaryFor, writeFiles } from '../src/node/write-files.js';
import { UsageError } from './args.js';

/** The largest input file read (CSV, model, image): 512 MiB. */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

/** A file's bytes, after checking it is a file of at most `limit` bytes; `flag` names it in errors. */
export function readInput(path: string, flag: string, limit = MAX_INPUT_BYTES): Buffer {
  checkInput(path, flag, limit);
  return readFileSync(path);
}

/** Checks `path` is a file of at most `limit` bytes (a UsageError from `flag` otherwise); returns its size. */
export function checkInput(path: string, flag: string, limit = MAX_INPUT_BYTES): number {
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
  return size;
}

/**
 * Checks the outputs (flag → path) can be written, and that none lands on another output or on an
 * input: where each lands (symbolic links followed: src/node/write-files.ts) is a file or a new
 * name in a folder that exists, or a device or pipe (/dev/null, /dev/stdout) written straight
 * into; a folder, a socket, a missing folder are usage errors, found before any work.
 */
export function checkOutputs(outputs: Record<string, string | undefined>, inputs: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const p of inputs) {
    try {
      seen.set(realpathSync(p), 'an input');
    } catch {
      // an input that does not exist is the reader's error to give
    }
  }
  for (const [flag, path] of Object.entries(outputs)) {
    if (path === undefined) continue;
    let to: Destination;
    try {
      to = destination(path);
    } catch (e) {
      throw new UsageError(`${flag}: ${(e as Error).message}`);
    }
    if (to.kind === 'stream') {
      try {
        accessSync(to.path, constants.W_OK);
      } catch (e) {
        throw new UsageError(`${flag}: cannot write ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      continue;
    }
    const other = seen.get(to.path);
    if (other) throw new UsageError(`${flag}: ${path} is also ${other}; give each output its own file`);
    seen.set(to.path, `the file of ${flag}`);
    let dir;
    try {
      dir = statSync(dirname(to.path));
    } catch {
      throw new UsageError(`${flag}: the folder ${dirname(path)} does not exist`);
    }
    if (!dir.isDirectory()) throw new UsageError(`${flag}: ${dirname(path)} is not a folder`);
    probe(flag, path, to.path);
  }
}

/**
 * Proves now that the write at the end can happen: creates the temporary file beside where
 * `path` lands and removes it (a read-only folder, or one like /proc where no file can be made,
 * fails here, before any work, instead of after it).
 */
function probe(flag: string, path: string, landing: string): void {
  const temporary = temporaryFor(landing);
  try {
    closeSync(openSync(temporary, 'wx', 0o600));
  } catch (e) {
    throw new UsageError(`${flag}: cannot write beside ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  } finally {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // not made (a name too long), so nothing to remove
    }
  }
}

/**
 * Writes the command's files together: all or none (src/node/write-files.ts), and a Ctrl-C
 * while they are written leaves no temporary file behind.
 */
export async function writeOutputFiles(files: readonly FileToWrite[]): Promise<void> {
  try {
    await writeFiles(files, { cleanOnSignals: true });
  } catch (e) {
    if (e instanceof WriteError) throw new Error(e.message);
    throw e;
  }
}

/**
 * Writes `files` as writeOutputFiles does and returns a line for each — "wrote the model to m.json"
 * — that says so when it replaced a file that was there (a device or a pipe is written into, not replaced).
 */
export async function writeAndSay(files: readonly (FileToWrite & { what: string })[]): Promise<string[]> {
  const replaced = files.map((f) => {
    try {
      return statSync(f.path).isFile();
    } catch {
      return false;
    }
  });
  await writeOutputFiles(files);
  return files.map((f, i) => `wrote ${f.what} to ${f.path}${replaced[i] ? ' (it replaced the file that was there)' : ''}`);
}
