// Vite builds the library for other apps (`npm run build`, after the demo): ES modules with the
// WGSL inlined as strings, one module per source file (preserveModules) so an app's bundler
// keeps only what it imports — a model does not pull in the plotting, and nothing pulls in the
// demo. Declarations come from tsconfig.lib.json. Entry points: `wgsl-learn` (src/index.ts)
// and `wgsl-learn/plot` (src/plot/index.ts); see package.json "exports".
//
// The two Node-only modules (WebGPU from the `webgpu` package, model files on disk) are reached
// through package.json "imports": `#node-webgpu` and `#node-files` resolve to them under the
// "node" condition and to src/node/unavailable.ts anywhere else, so a browser bundle of an app
// never sees node:fs or the `webgpu` package (no warnings, no stray chunks).

import { fileURLToPath } from 'node:url';
import { type Plugin, defineConfig } from 'vite';

/** Source module → the package.json "imports" specifier the built code reaches it by. */
const NODE_ONLY: Record<string, string> = {
  [fileURLToPath(new URL('src/node/webgpu.ts', import.meta.url))]: '#node-webgpu',
  [fileURLToPath(new URL('src/node/files.ts', import.meta.url))]: '#node-files',
};

function nodeOnlyImports(): Plugin {
  return {
    name: 'wgsl-learn:node-only-imports',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer || NODE_ONLY[importer]) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      const specifier = resolved && NODE_ONLY[resolved.id];
      return specifier ? { id: specifier, external: true } : null;
    },
  };
}

export default defineConfig({
  publicDir: false,
  plugins: [nodeOnlyImports()],
  build: {
    outDir: 'dist/lib',
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    sourcemap: true,
    lib: {
      entry: {
        index: 'src/index.ts',
        'plot/index': 'src/plot/index.ts',
        'node/webgpu': 'src/node/webgpu.ts',
        'node/files': 'src/node/files.ts',
        'node/unavailable': 'src/node/unavailable.ts',
      },
      formats: ['es'],
    },
    rollupOptions: {
      // Node-only dependencies, imported only on the Node path, and never bundled.
      external: ['webgpu', /^node:/],
      output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
    },
  },
});
