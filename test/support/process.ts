// Runs a program as a user would, in a child process, and returns its exit status and output
// (the command-line and package tests).

import { execFile } from 'node:child_process';

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

export function exec(file: string, args: string[], cwd: string, timeout = 300_000, env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, timeout, env, maxBuffer: 64 << 20 }, (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }));
  });
}
