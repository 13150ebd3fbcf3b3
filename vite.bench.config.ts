// Vite builds the benchmark into one module for a bare machine (`npm run build:bench`, used by
// scripts/bench-gpu-pack.mjs and bench/gpu.sh): bench/cli.ts with the library, the WGSL and
// TensorFlow.js inlined — everything but Node's own modules and the `webgpu` package, whose
// native Dawn addon travels beside it.

import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'dist/bench-gpu',
    emptyOutDir: false,
    target: 'node20',
    minify: false,
    sourcemap: false,
    ssr: 'bench/cli.ts',
    rollupOptions: {
      external: ['webgpu', ...builtinModules, /^node:/],
      output: { entryFileNames: 'bench.mjs', codeSplitting: false },
    },
  },
  ssr: { noExternal: true, target: 'node' },
});
