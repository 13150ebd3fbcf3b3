// The command line run in this process (main(), as the bin runs it), its console captured: the
// exit status and what it printed to stdout and stderr. Used by the command-line tests.

import { vi } from 'vitest';
import { main } from '../../cli/wgsl-learn.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs `wgsl-learn …argv`; console.log is its stdout, console.error its stderr, warnings dropped. */
export async function runCli(argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const spies = [
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' '))),
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' '))),
    vi.spyOn(console, 'warn').mockImplementation(() => {}),
  ];
  try {
    return { code: await main(argv), out: out.join('\n'), err: err.join('\n') };
  } finally {
    for (const s of spies) s.mockRestore();
  }
}
