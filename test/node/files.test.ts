// Model files in Node (src/node/files.ts, behind save() and load()): a write that fails leaves
// the file that was there as it was (the write goes to a temporary file, flushed, then renamed
// over it), and a file too large to be a model is refused before it is read.

import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GpuContext, createContext } from '../../src/gpu/context.js';
import { ArgumentError } from '../../src/gpu/errors.js';
import { load } from '../../src/export/load.js';
import { NeuralNetwork } from '../../src/models/network.js';

let dir: string;
let ctx: GpuContext;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wgsl-learn-files-'));
  ctx = await createContext();
});
afterAll(() => {
  ctx?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('model files', () => {
  it('a save that fails part of the way leaves the model that was there, byte for byte, and no temporary file', async () => {
    const net = new NeuralNetwork(ctx, { layers: [2, 3, 1], seed: 1 });
    try {
      const good = Buffer.from(JSON.stringify(await net.toJSON()));
      // A 250-character name: the file can be made, the temporary file beside it (longer) cannot.
      const long = join(dir, `${'n'.repeat(245)}.json`);
      writeFileSync(long, good);
      const other = new NeuralNetwork(ctx, { layers: [2, 3, 1], seed: 2 });
      try {
        await expect(other.save(long)).rejects.toThrow(/target\.path: could not be written/);
        expect(readFileSync(long).equals(good)).toBe(true);
        await expect(other.save(join(dir, 'no-such-folder', 'm.json'))).rejects.toThrow(ArgumentError);
        expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
        // A save that works replaces the file whole.
        const short = join(dir, 'm.json');
        writeFileSync(short, good);
        await other.save(short);
        expect(JSON.parse(readFileSync(short, 'utf8'))).toEqual(await other.toJSON());
      } finally {
        other.destroy();
      }
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      net.destroy();
    }
  });

  it('a file over 1 GiB is refused before it is read', async () => {
    const huge = join(dir, 'huge.json');
    writeFileSync(huge, '{');
    truncateSync(huge, 2 ** 30 + 1); // sparse: no disk is used
    // Buffers this process holds (a read of the file would be one), not its RSS, which other
    // threads (SwiftShader's) and the collector move by tens of MiB on their own.
    const before = process.memoryUsage().arrayBuffers;
    await expect(load(ctx, huge)).rejects.toThrow(/source\.path: is 1024 MiB, more than the 1 GiB a model file may be/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 << 20);
  });
});
