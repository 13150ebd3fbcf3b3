// Packs what bench/gpu.sh needs to run the benchmark on a bare GPU machine (no Node, no npm, no
// network) into dist/bench-gpu/, under the 64 MiB a lent machine takes along: the benchmark as
// one module (vite.bench.config.ts), the `webgpu` package with only the Linux x64 Dawn addon,
// this Node binary, and the Vulkan loader as a fallback for a machine whose driver came without
// one — the large files gzipped, so gpu.sh needs only sh, gzip and a GPU driver.
//
//   npm run build:bench-gpu        (then: bash bench/gpu.sh, here or there)

import { execFileSync } from 'node:child_process';
import { copyFileSync, createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

const out = 'dist/bench-gpu';
const webgpu = 'node_modules/webgpu';
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'node_modules/webgpu/dist/linux-x64'), { recursive: true });
execFileSync('npx', ['vite', 'build', '-c', 'vite.bench.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });

async function gzip(from, to) {
  await pipeline(createReadStream(from), createGzip({ level: 9 }), createWriteStream(to));
}
for (const f of ['package.json', 'index.js', 'LICENSE.md']) copyFileSync(join(webgpu, f), join(out, 'node_modules/webgpu', f));
await gzip(join(webgpu, 'dist/linux-x64/dawn.node'), join(out, 'node_modules/webgpu/dist/linux-x64/dawn.node.gz'));
await gzip(process.execPath, join(out, 'node.gz'));
const loader = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib64/libvulkan.so.1'].find((p) => existsSync(p));
if (loader) {
  mkdirSync(join(out, 'lib'));
  copyFileSync(loader, join(out, 'lib/libvulkan.so.1'));
}

const files = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
const total = files(out).reduce((s, f) => s + statSync(f).size, 0);
console.log(`${out}: ${(total / 2 ** 20).toFixed(1)} MiB (Node ${process.version}${loader ? ', Vulkan loader' : ''})`);
if (total > 60 * 2 ** 20) throw new Error(`${out} is ${(total / 2 ** 20).toFixed(1)} MiB: over the 60 MiB a lent machine can be given`);
