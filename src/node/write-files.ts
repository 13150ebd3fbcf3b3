// Node only: writing files as careful tools do, for the library's save() and the command line.
// Several files are committed together or not at all: each regular file is written to a
// temporary file beside where it lands, flushed, and only when every one is written are they
// renamed over their targets. A symbolic link is followed to its target (the link stays); an
// existing file keeps its mode (and, as root, its owner); a new one gets 0666 less the umask.
// A path that is a device or a pipe (/dev/null, /dev/stdout, a named pipe) is written straight
// into, after the regular files are ready and before they are renamed; a folder, a socket or a
// block device is refused. On SIGINT, SIGTERM or SIGHUP during a write (when the caller asks),
// the temporary files are removed before the process ends as the signal would end it.
// Self-contained: no library state (the command line bundles it).

import { constants, lstatSync, readlinkSync, realpathSync, rmSync, statSync } from 'node:fs';
import { type FileHandle, open, rename } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';

/** A file could not be written; `committed` lists the files of the same write already in place. */
export class WriteError extends Error {
  override name = 'WriteError';
  constructor(
    readonly path: string,
    message: string,
    readonly committed: readonly string[] = [],
  ) {
    super(message);
  }
}

/** Where a write to a path lands, and how it is written. */
export type Destination =
  | { kind: 'file'; path: string; mode: number; uid: number; gid: number }
  | { kind: 'new'; path: string }
  | { kind: 'stream'; path: string; pipe: boolean; append?: boolean };

/** /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: a file the process already has open. */
const OPEN_FILE = /^\/(dev\/(stdout|stderr|fd\/\d+)|proc\/self\/fd\/\d+)$/;

const code = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/** Follows the links of a path that does not exist yet (a dangling link) to the name the file will have. */
function followDangling(path: string): string {
  let p = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let link: string;
    try {
      if (!lstatSync(p).isSymbolicLink()) return p;
      link = readlinkSync(p);
    } catch {
      return p;
    }
    p = resolve(dirname(p), link);
  }
  throw new WriteError(path, `${path}: too many levels of symbolic links`);
}

/** Where writing `path` lands (links followed), or a WriteError saying why nothing can be written there. */
export function destination(path: string): Destination {
  let s;
  try {
    s = statSync(path);
  } catch (e) {
    if (code(e) === 'ENOENT') return { kind: 'new', path: followDangling(path) };
    throw new WriteError(path, `${path}: ${code(e)}`);
  }
  // Standard output redirected to a file is written into where it stands (appended to what the
  // command printed there), never replaced under the shell that opened it.
  if (OPEN_FILE.test(path)) return { kind: 'stream', path, pipe: s.isFIFO(), append: true };
  if (s.isFile()) return { kind: 'file', path: realpathSync(path), mode: s.mode & 0o7777, uid: s.uid, gid: s.gid };
  if (s.isCharacterDevice() || s.isFIFO()) return { kind: 'stream', path, pipe: s.isFIFO() };
  const what = s.isDirectory() ? 'a folder' : s.isSocket() ? 'a socket' : s.isBlockDevice() ? 'a block device' : 'not a file';
  throw new WriteError(path, `${path} is ${what}, not a file that can be written`);
}

/** The temporary file beside `target` that its write goes through. */
export function temporaryFor(target: string): string {
  return resolve(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
}

const CHUNK = 1 << 20;

/** Writes all of `bytes` through `file`, a chunk at a time (so a signal is handled between chunks); waits out a full pipe. */
async function writeAll(file: FileHandle, bytes: Uint8Array, aborted: () => boolean): Promise<void> {
  for (let at = 0; at < bytes.length; ) {
    if (aborted()) throw new Error('interrupted');
    try {
      at += (await file.write(bytes, at, Math.min(CHUNK, bytes.length - at))).bytesWritten;
    } catch (e) {
      if (code(e) !== 'EAGAIN') throw e;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

/** What a file holds: its text or bytes, or a producer that hands them over a piece at a time (large outputs, never held whole). */
export type FileData = string | Uint8Array | ((write: (piece: string | Uint8Array) => Promise<void>) => Promise<void>);

export interface FileToWrite {
  path: string;
  data: FileData;
}

const bytesOf = (piece: string | Uint8Array) => (typeof piece === 'string' ? Buffer.from(piece) : piece);

/** Writes `data` through `file`. */
async function writeData(file: FileHandle, data: FileData, aborted: () => boolean): Promise<void> {
  if (typeof data === 'function') await data((piece) => writeAll(file, bytesOf(piece), aborted));
  else await writeAll(file, bytesOf(data), aborted);
}

export interface WriteOptions {
  /** Remove the temporary files and end the process on SIGINT, SIGTERM or SIGHUP while writing (the command line; not a library's place). */
  cleanOnSignals?: boolean;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Writes every file, all or none (see the top of this file). Throws a WriteError naming the file
 * that failed; the files already renamed into place, if the failure came after the first rename,
 * are listed in its `committed` (a rename failing after another succeeded is the only way).
 */
export async function writeFiles(files: readonly FileToWrite[], options: WriteOptions = {}): Promise<void> {
  const plans = files.map((f) => ({ path: f.path, to: destination(f.path), data: f.data, temporary: '' }));
  const temporaries: string[] = [];
  let aborted = false;
  const clean = () => {
    for (const t of temporaries) rmSync(t, { force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    aborted = true;
    clean();
    for (const s of SIGNALS) process.removeListener(s, onSignal);
    process.kill(process.pid, signal);
  };
  if (options.cleanOnSignals) for (const s of SIGNALS) process.on(s, onSignal);
  const committed: string[] = [];
  let current = plans[0]?.path ?? '';
  try {
    for (const p of plans) {
      if (p.to.kind === 'stream') continue;
      current = p.path;
      p.temporary = temporaryFor(p.to.path);
      const file = await open(p.temporary, 'wx', 0o666);
      temporaries.push(p.temporary);
      try {
        if (p.to.kind === 'file') {
          if (process.getuid?.() === 0) await file.chown(p.to.uid, p.to.gid);
          await file.chmod(p.to.mode);
        }
        await writeData(file, p.data, () => aborted);
        await file.sync(); // on disk before it replaces anything
      } finally {
        await file.close();
      }
    }
    for (const p of plans) {
      if (p.to.kind !== 'stream') continue;
      current = p.path;
      // A pipe with no reader is refused at once (ENXIO) rather than waited on forever.
      const file = await open(p.to.path, constants.O_WRONLY | (p.to.pipe ? constants.O_NONBLOCK : 0) | (p.to.append ? constants.O_APPEND : 0));
      try {
        await writeData(file, p.data, () => aborted);
      } finally {
        await file.close();
      }
    }
    for (const p of plans) {
      if (p.to.kind === 'stream') continue;
      current = p.path;
      await rename(p.temporary, p.to.path);
      committed.push(p.path);
    }
  } catch (e) {
    clean();
    if (e instanceof WriteError) throw e;
    const why = code(e) === 'ENXIO' ? 'no process is reading the pipe' : code(e);
    throw new WriteError(current, `could not write ${current} (${why})${committed.length ? `; already written: ${committed.join(', ')}` : '; nothing was written'}`, committed);
  } finally {
    if (options.cleanOnSignals) for (const s of SIGNALS) process.removeListener(s, onSignal);
  }
}
