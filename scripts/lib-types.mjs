#!/usr/bin/env node
// After `tsc -p tsconfig.lib.json`: copies the hand-written declarations of the library's plain
// JavaScript modules (src/**/*.d.mts) next to the emitted ones, which import them.

import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const out = join(root, 'dist', 'lib', 'types');
for (const entry of readdirSync(src, { recursive: true })) {
  const file = String(entry);
  if (!file.endsWith('.d.mts')) continue;
  mkdirSync(dirname(join(out, file)), { recursive: true });
  copyFileSync(join(src, file), join(out, file));
  console.log(`lib-types: ${relative(root, join(out, file))}`);
}
