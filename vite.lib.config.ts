// Vite builds the library for other apps (`npm run build`, after the demo): ES modules with the
// WGSL inlined as strings, one module per source file (preserveModules) so an app's bundler
// keeps only what it imports — a model does not pull in the plotting, and nothing pulls in the
// demo. Declarations come from tsconfig.lib.json. Entry points: `wgsl-learn` (src/index.ts)
// and `wgsl-learn/plot` (src/plot/index.ts); see package.json "exports".

import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'dist/lib',
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    sourcemap: true,
    lib: {
      entry: { index: 'src/index.ts', 'plot/index': 'src/plot/index.ts' },
      formats: ['es'],
    },
    rollupOptions: {
      // Node-only dependencies, imported only on the Node path, and never bundled.
      external: ['webgpu', /^node:/],
      output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
    },
  },
});
