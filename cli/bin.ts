#!/usr/bin/env node
// The package's `bin` entry (built to dist/cli/wgsl-learn.js): runs the command line, then
// exits with its status once standard output and error are flushed (Dawn's threads would
// otherwise keep a finished process alive).

import { main } from './wgsl-learn.js';

const code = await main(process.argv.slice(2));
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
