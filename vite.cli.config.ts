// Vite builds the `wgsl-learn` command (`npm run build:cli`, part of `npm run build` and of
// `npm pack`): cli/bin.ts and everything it imports from cli/ as one JavaScript module for Node,
// dist/cli/wgsl-learn.js — the package's `bin`, which starts at once (no TypeScript, no Vite at
// run time). The library is not copied in: `../src/index.ts` becomes an import of the package's
// own name, `wgsl-learn`, which Node resolves to dist/lib through package.json "exports" (so the
// command and an app share one copy, and one set of error classes). Only self-contained helpers
// with no library state may be bundled from src/; any other import of src/ fails the build.

import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type Plugin, defineConfig } from 'vite';

const src = (path: string) => fileURLToPath(new URL(`src/${path}`, import.meta.url));
const LIBRARY = src('index.ts');
const SELF_CONTAINED = new Set(['spelling.ts', 'node/images.ts', 'node/png.ts', 'node/pgm.ts', 'node/gray-image.ts', 'node/write-files.ts', 'gpu/f32.ts', 'show.ts', 'data/downsample.mjs'].map(src));
const version = JSON.parse(readFileSync(new URL('package.json', import.meta.url), 'utf8')).version as string;

function libraryByName(): Plugin {
  return {
    name: 'wgsl-learn:library-by-name',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!resolved || !resolved.id.startsWith(src(''))) return null;
      if (resolved.id === LIBRARY) return { id: 'wgsl-learn', external: true };
      if (SELF_CONTAINED.has(resolved.id)) return null;
      this.error(`${importer} imports ${source}: the command line reaches the library only through src/index.ts`);
    },
  };
}

export default defineConfig({
  publicDir: false,
  plugins: [libraryByName()],
  define: { __WGSL_LEARN_VERSION__: JSON.stringify(version) },
  build: {
    outDir: 'dist/cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    ssr: 'cli/bin.ts',
    rollupOptions: {
      external: ['wgsl-learn', ...builtinModules, /^node:/],
      // cli/bin.ts's own #! line is kept at the top.
      output: { entryFileNames: 'wgsl-learn.js' },
    },
  },
});
