// The benchmark as a command: what `dist/bench-gpu/bench.mjs` runs on a machine with nothing but
// the bundle (bench/gpu.sh). Same arguments as `npm run bench --`.

import { main } from './index.js';

process.exitCode = await main(process.argv.slice(2));
