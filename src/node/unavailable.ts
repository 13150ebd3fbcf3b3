// What a browser bundle gets in place of the Node-only modules (./webgpu.ts, ./files.ts): the
// built package maps them through package.json "imports" — `#node-webgpu` and `#node-files`,
// condition "node" to the real modules, anything else to this one — so a bundler building for
// the browser never sees node:fs, node:path or the `webgpu` package. Nothing here is reached in
// a browser (the library takes those paths only under Node); a runtime that reports Node but
// resolved the browser build gets an error that says why.

import { ArgumentError, NoAdapterError } from '../gpu/errors.js';

const WHY = "this copy of wgsl-learn was resolved without the 'node' export condition (a browser bundle)";

export async function nodeGpu(): Promise<GPU> {
  throw new NoAdapterError(`WebGPU through the \`webgpu\` package is only in Node builds: ${WHY}. Pass { gpu } or { device } to createContext().`);
}

export async function writeFileAtomically(): Promise<void> {
  throw new ArgumentError('target.path', `needs Node's file system: ${WHY}`);
}

export async function readModelFile(): Promise<Uint8Array> {
  throw new ArgumentError('source.path', `needs Node's file system: ${WHY}`);
}
