// Every flag of every command, checked by kind as the command line is parsed (cli/args.ts): the
// test walks each command's flag table and gives each flag values of every wrong kind for it
// — text for a number, a fraction for an integer, one past its range, a name that is no
// choice, an empty list item, a value for a switch. Each run of the real command (main(), in
// this process) must exit with status 2 and a message naming the flag, before any file is read.

import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Flag, FlagKind } from '../../cli/args.js';
import { COMMANDS, TOP_FLAGS, main } from '../../cli/wgsl-learn.js';

/** Values of every wrong kind for a flag of `kind`. */
function wrongValues(kind: FlagKind): string[] {
  switch (kind.type) {
    case 'switch':
      return [];
    case 'number':
      return ['abc', 'NaN', 'Infinity', '-Infinity', '0x10', '1e999', '', '1,5', '١'];
    case 'integer':
      return ['1.5', 'abc', String(kind.min! - 1), String(kind.max! + 1), '1e999', '0x10', '', '2.0000000001'];
    case 'choice':
      return ['no-such-choice', '', 'ADAM '];
    case 'list':
      return ['', ',', 'a,,b', ' '];
    case 'text':
      return ['', '   '];
    case 'path':
      return [''];
    case 'custom':
      return ['', 'abc', '1.5x', '-1'];
  }
}

let stderr: string[] = [];
beforeEach(() => {
  stderr = [];
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void stderr.push(a.join(' ')));
  vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

describe('every flag of every command is checked by kind', () => {
  let probed = 0;
  afterAll(() => console.log(`[reliability] flags by kind: ${probed} command lines, each exit 2 naming the flag`));
  const tables: [string, readonly Flag[]][] = [['', TOP_FLAGS], ...Object.entries(COMMANDS).map(([name, c]) => [name, c.flags] as [string, readonly Flag[]])];
  for (const [command, flags] of tables) {
    it(`wgsl-learn ${command || '(no command)'}: each flag with each wrong value exits 2 naming the flag`, async () => {
      const failures: string[] = [];
      let tried = 0;
      for (const flag of flags) {
        const values = wrongValues(flag.kind);
        const lines = flag.kind.type === 'switch' ? [[`--${flag.name}=yes`]] : values.map((v) => [`--${flag.name}=${v}`]);
        for (const args of lines) {
          tried++;
          probed++;
          stderr = [];
          const argv = command ? [command, ...args] : args;
          const code = await main(argv);
          const said = stderr.join('\n');
          if (code !== 2 || !said.includes(`--${flag.name}`)) failures.push(`${argv.join(' ')} → exit ${code}: ${said.slice(0, 120)}`);
        }
      }
      expect(failures, `${failures.length} of ${tried}`).toEqual([]);
      expect(tried).toBeGreaterThan(0);
    });
  }

  it('a flag of another command, or of none, is named with the closest valid one; a megabyte-long one is refused in a short message', async () => {
    expect(await main(['train', '--modle', 'x'])).toBe(2);
    expect(stderr.join('\n')).toContain('unknown option "--modle"');
    stderr = [];
    expect(await main(['train', `--${'a'.repeat(1 << 20)}`])).toBe(2);
    expect(stderr.join('\n').length).toBeLessThan(400);
  });
});
