// Node only: WebGPU from the `webgpu` package (Dawn), with Chrome's SwiftShader Vulkan driver
// added on Linux so that a machine without a GPU still gets a (software) adapter — and without the
// noise native libraries print while Dawn looks for adapters (see quietEnvironment).

import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { NODE_INSTALL_HINT, NoAdapterError } from '../gpu/errors.js';

/** Where Chrome, Chromium and Edge put SwiftShader's Vulkan ICD manifest on Linux. */
const SWIFTSHADER_ICD_CANDIDATES = [
  '/usr/lib/chromium/vk_swiftshader_icd.json', // Debian chromium
  '/usr/lib/chromium-browser/vk_swiftshader_icd.json', // Ubuntu, Fedora chromium
  '/usr/lib64/chromium-browser/vk_swiftshader_icd.json',
  '/opt/google/chrome/vk_swiftshader_icd.json',
  '/opt/google/chrome-beta/vk_swiftshader_icd.json',
  '/opt/microsoft/msedge/vk_swiftshader_icd.json',
  '/snap/chromium/current/usr/lib/chromium-browser/vk_swiftshader_icd.json',
];

/** The SwiftShader ICD manifest shipped with an installed Chrome/Chromium/Edge, if any. */
export function findSwiftShaderIcd(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const beside = [env.PUPPETEER_EXECUTABLE_PATH, env.CHROME_PATH]
    .filter((p): p is string => !!p)
    .map((p) => join(dirname(p), 'vk_swiftshader_icd.json'));
  return [...beside, ...SWIFTSHADER_ICD_CANDIDATES].find((p) => existsSync(p));
}

/**
 * The environment changes made before Dawn loads, each only where the user set nothing: on Linux,
 * SwiftShader added to the Vulkan drivers (VK_ADD_DRIVER_FILES); Mesa's lavapipe, which Dawn
 * rejects (it lacks a feature WebGPU needs) with a warning on every start, left out
 * (VK_LOADER_DRIVERS_DISABLE=*lvp*); and a private XDG_RUNTIME_DIR, without which the loader's
 * Wayland probe prints "XDG_RUNTIME_DIR is invalid" twice. Returns what it set.
 */
export function quietEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const set: Record<string, string> = {};
  if (process.platform !== 'linux' || env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES) return set;
  const icd = findSwiftShaderIcd(env);
  const added = env.VK_ADD_DRIVER_FILES?.split(':') ?? [];
  if (icd && !added.includes(icd)) set.VK_ADD_DRIVER_FILES = [...added, icd].join(':');
  if (env.VK_LOADER_DRIVERS_DISABLE === undefined) set.VK_LOADER_DRIVERS_DISABLE = '*lvp*';
  if (!env.XDG_RUNTIME_DIR) set.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'wgsl-learn-xdg-'));
  Object.assign(env, set);
  return set;
}

let gpuPromise: Promise<GPU> | undefined;

/**
 * The process-wide `GPU` object from Dawn. On Linux, unless the user chose Vulkan drivers with
 * VK_ICD_FILENAMES or VK_DRIVER_FILES, SwiftShader is *added* to the drivers the loader finds
 * (VK_ADD_DRIVER_FILES), so a real GPU is still listed and preferred when there is one.
 */
export function nodeGpu(): Promise<GPU> {
  gpuPromise ??= (async () => {
    quietEnvironment();
    const mod = await loadWebgpu(() => import('webgpu') as Promise<DawnModule>);
    return mod.create([]);
  })();
  // A failed load is not kept: installing the package and calling again works.
  gpuPromise.catch(() => (gpuPromise = undefined));
  return gpuPromise;
}

type DawnModule = { create: (flags: string[]) => GPU; globals: object };

/**
 * The `webgpu` package, or a NoAdapterError that says the one command to run: it is an
 * optional peer of wgsl-learn, so `npm install wgsl-learn` alone leaves it out in Node.
 */
export async function loadWebgpu(importer: () => Promise<DawnModule>): Promise<DawnModule> {
  try {
    return await importer();
  } catch (e) {
    throw new NoAdapterError(
      `WebGPU in Node needs the \`webgpu\` package (Dawn), which could not be loaded: run \`npm install webgpu\` (${(e as Error).message?.split('\n')[0]}). ${NODE_INSTALL_HINT}`,
    );
  }
}
