// The suite with every worker made large on purpose (./ballast.ts); with a shuffled file order
// it proves a test depends neither on its process tree nor on the tests before it:
//   npx vitest run -c test/support/ballast.config.ts --sequence.shuffle.files --sequence.seed=7

import { mergeConfig } from 'vitest/config';
import base from '../../vite.config.js';

export default mergeConfig(base, { test: { setupFiles: ['test/support/ballast.ts'] } });
