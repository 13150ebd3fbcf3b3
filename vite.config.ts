// Vite serves and builds the demo page (demo/); Vitest runs test/ in Node.

import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: 'demo',
  server: { fs: { allow: ['..'] } },
  build: {
    outDir: '../dist/demo',
    emptyOutDir: true,
    // The Node-only path (`webgpu`, node:*) sits behind a dynamic import the page never takes.
    rollupOptions: { external: ['webgpu', /^node:/] },
  },
  test: {
    root: '.',
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Dawn is a native addon: give it a process of its own rather than a worker thread.
    pool: 'forks',
    // SwiftShader uses every core; running files side by side only slows each down.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
