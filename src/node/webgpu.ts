// Node only: WebGPU from the `webgpu` package (Dawn), with Chrome's SwiftShader Vulkan driver
// added on Linux so that a machine without a GPU still gets a (software) adapter.

import { existsSync } from 'node:fs';
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

let gpuPromise: Promise<GPU> | undefined;

/**
 * The process-wide `GPU` object from Dawn. On Linux, unless the user chose Vulkan drivers with
 * VK_ICD_FILENAMES or VK_DRIVER_FILES, SwiftShader is *added* to the drivers the loader finds
 * (VK_ADD_DRIVER_FILES), so a real GPU is still listed and preferred when there is one.
 */
export function nodeGpu(): Promise<GPU> {
  gpuPromise ??= (async () => {
    const env = process.env;
    if (process.platform === 'linux' && !env.VK_ICD_FILENAMES && !env.VK_DRIVER_FILES) {
      const icd = findSwiftShaderIcd();
      if (icd) env.VK_ADD_DRIVER_FILES = env.VK_ADD_DRIVER_FILES ? `${env.VK_ADD_DRIVER_FILES}:${icd}` : icd;
    }
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
