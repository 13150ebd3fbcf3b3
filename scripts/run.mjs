// Runs a TypeScript entry (a benchmark or an example) in Node through Vite's module runner, so it imports
// WGSL (`?raw`) and TypeScript exactly as the library, the page and the tests do.
// Usage: node scripts/run.mjs <entry.ts> [args…]; the entry exports `main(args)`.

import { createServer, createServerModuleRunner } from 'vite';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run.mjs <entry.ts> [args…]');
  process.exit(2);
}
const server = await createServer({
  configFile: false,
  root: process.cwd(),
  logLevel: 'error',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false, ws: false },
});
const runner = createServerModuleRunner(server.environments.ssr, { hmr: false });
let code = 0;
try {
  const mod = await runner.import(entry);
  code = (await mod.main(args)) ?? 0;
} catch (e) {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  code = 1;
} finally {
  await runner.close();
  await server.close();
}
process.exit(code);
