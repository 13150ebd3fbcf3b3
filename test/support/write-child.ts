// A process for test/node/writes.test.ts: writes the files its arguments name (path=MiB, filled
// with "A") with writeFiles, as the command line does — all or none, temporary files removed on
// SIGINT, SIGTERM or SIGHUP — so a test can interrupt a write in progress.

import { writeFiles } from '../../src/node/write-files.js';

export async function main(args: string[]): Promise<number> {
  const files = args.map((a) => {
    const [path, mib] = a.split('=') as [string, string];
    return { path, data: new Uint8Array(Number(mib) * 2 ** 20).fill(65) };
  });
  await writeFiles(files, { cleanOnSignals: true });
  return 0;
}
