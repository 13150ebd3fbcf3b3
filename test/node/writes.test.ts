// Writing files as careful tools do (src/node/write-files.ts, behind save() and every file the
// command line writes): several files all or none; a symbolic link followed to its target (the
// link stays a link, a dangling one is created); an existing file's mode kept; a device or a
// pipe written straight into, never replaced by a regular file; a folder or a socket refused; a
// pipe nobody reads refused at once; and an interrupted write (SIGINT in the middle) leaves no
// temporary file and the old file as it was.

import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, constants, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOutputs } from '../../cli/files.js';
import { WriteError, destination, writeFiles } from '../../src/node/write-files.js';

const root = new URL('../..', import.meta.url).pathname;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wgsl-learn-writes-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const temporaries = () => readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.tmp'));

describe('writing files', () => {
  it('a symbolic link is followed: its target gets the bytes, the link stays; a dangling link makes its target', async () => {
    const target = join(dir, 'target.json');
    const link = join(dir, 'link.json');
    writeFileSync(target, 'old');
    symlinkSync(target, link);
    await writeFiles([{ path: link, data: 'new' }]);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, 'utf8')).toBe('new');
    const dangling = join(dir, 'dangling.json');
    symlinkSync(join(dir, 'made-through-link.json'), dangling);
    await writeFiles([{ path: dangling, data: 'made' }]);
    expect(lstatSync(dangling).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'made-through-link.json'), 'utf8')).toBe('made');
    expect(temporaries()).toEqual([]);
  });

  it('an existing file keeps its mode (0600 stays 0600); a new one gets 0666 less the umask', async () => {
    const secret = join(dir, 'secret.json');
    writeFileSync(secret, 'old');
    chmodSync(secret, 0o600);
    await writeFiles([{ path: secret, data: 'new' }]);
    expect(statSync(secret).mode & 0o777).toBe(0o600);
    const fresh = join(dir, 'fresh.json');
    await writeFiles([{ path: fresh, data: 'x' }]);
    const umask = process.umask();
    expect(statSync(fresh).mode & 0o777).toBe(0o666 & ~umask);
  });

  it('/dev/null is written into and stays a device; /dev/full fails, and the regular file of the same write is not replaced', async () => {
    await writeFiles([{ path: '/dev/null', data: 'x'.repeat(3 << 20) }]);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    const kept = join(dir, 'kept.json');
    writeFileSync(kept, 'old model');
    let error: unknown;
    await writeFiles([{ path: kept, data: 'new model' }, { path: '/dev/full', data: 'x' }]).catch((e) => (error = e));
    expect(error).toBeInstanceOf(WriteError);
    expect((error as Error).message).toMatch(/could not write \/dev\/full \(ENOSPC\); nothing was written/);
    expect(readFileSync(kept, 'utf8')).toBe('old model');
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
    expect(temporaries()).toEqual([]);
  });

  it('a named pipe is written into when a process reads it, and refused at once when none does; a folder and a socket are refused before anything is written', async () => {
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    await expect(writeFiles([{ path: fifo, data: 'x' }])).rejects.toThrow(/no process is reading the pipe/);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      await writeFiles([{ path: fifo, data: 'through the pipe' }]);
      const got = Buffer.alloc(64);
      expect(got.toString('utf8', 0, readSync(reader, got))).toBe('through the pipe');
    } finally {
      closeSync(reader);
    }
    expect(statSync(fifo).isFIFO()).toBe(true);
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    expect(() => destination(folder)).toThrow(/is a folder/);
    const socket = join(dir, 'sock');
    const server = createServer().listen(socket);
    await new Promise((r) => server.on('listening', r));
    const kept = join(dir, 'kept2.json');
    writeFileSync(kept, 'old');
    await expect(writeFiles([{ path: kept, data: 'new' }, { path: socket, data: 'x' }])).rejects.toThrow(/is a socket/);
    expect(readFileSync(kept, 'utf8')).toBe('old');
    server.close();
  });

  it('/dev/stdout redirected to a file is written into where it stands, not replaced under the shell that opened it', async () => {
    const file = join(dir, 'redirected.csv');
    const fd = openSync(file, 'w');
    const inode = statSync(file).ino;
    try {
      const child = spawn(process.execPath, ['scripts/run.mjs', 'test/support/write-child.ts', '/dev/stdout=1'], { cwd: root, stdio: ['ignore', fd, 'ignore'] });
      expect(await new Promise((r) => child.on('exit', r))).toBe(0);
    } finally {
      closeSync(fd);
    }
    expect(statSync(file).ino).toBe(inode);
    expect(readFileSync(file, 'latin1')).toBe('A'.repeat(1 << 20));
  }, 60_000);

  it('SIGINT during a write: the process ends by the signal, no temporary file is left, the old file is as it was', async () => {
    const model = join(dir, 'big.json');
    writeFileSync(model, 'old model');
    const fifo = join(dir, 'slow-pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // A reader that never reads: the write to the pipe waits once its buffer is full, with the
    // model's temporary file already written beside it — the moment to interrupt.
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const child = spawn(process.execPath, ['scripts/run.mjs', 'test/support/write-child.ts', `${model}=64`, `${fifo}=4`], { cwd: root, stdio: 'ignore' });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
      for (let i = 0; i < 3000 && temporaries().length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(temporaries().length).toBe(1);
      child.kill('SIGINT');
      const { signal } = await exited;
      expect(signal).toBe('SIGINT');
      expect(temporaries()).toEqual([]);
      expect(readFileSync(model, 'utf8')).toBe('old model');
    } finally {
      closeSync(reader);
    }
  }, 60_000);

  it('the command line finds two outputs on one file through a link, or an output that is an input, by where they land — before any work', () => {
    const real = join(dir, 'real.json');
    writeFileSync(real, '{}');
    const alias = join(dir, 'alias.json');
    symlinkSync(real, alias);
    expect(destination(alias)).toMatchObject({ kind: 'file', path: real });
    expect(() => checkOutputs({ '--out': alias, '--metrics': real }, [])).toThrow(/--metrics: .* is also the file of --out/);
    expect(() => checkOutputs({ '--out': alias }, [real])).toThrow(/--out: .* is also an input/);
    expect(() => checkOutputs({ '--out': '/dev/null', '--metrics': '/dev/null' }, [])).not.toThrow();
    expect(() => checkOutputs({ '--out': join(dir, 'a-folder') }, [])).toThrow(/--out: .* is a folder/);
  });
});
