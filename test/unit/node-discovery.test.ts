// Node's WebGPU set-up finds Chrome's SwiftShader driver and a browser for Puppeteer, and says
// what to install when something is missing.

import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/node/browser.js';
import { NoAdapterError } from '../../src/gpu/errors.js';
import { findSwiftShaderIcd, loadWebgpu, quietEnvironment } from '../../src/node/webgpu.js';

describe('Node discovery', () => {
  it("finds the SwiftShader ICD manifest of the installed Chrome/Chromium", () => {
    const icd = findSwiftShaderIcd();
    expect(icd, 'install chromium: it ships vk_swiftshader_icd.json').toMatch(/vk_swiftshader_icd\.json$/);
    expect(existsSync(icd!)).toBe(true);
  });

  it('finds a browser, and honours PUPPETEER_EXECUTABLE_PATH', () => {
    expect(existsSync(findBrowser())).toBe(true);
    expect(() => findBrowser({ PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chrome' })).toThrow('/nonexistent/chrome, which does not exist');
  });

  it('without the webgpu package, a NoAdapterError says the one command to run: npm install webgpu', async () => {
    const missing = () => Promise.reject(new Error("Cannot find package 'webgpu' imported from /app/node_modules/wgsl-learn"));
    await expect(loadWebgpu(missing)).rejects.toBeInstanceOf(NoAdapterError);
    await expect(loadWebgpu(missing)).rejects.toThrow('run `npm install webgpu`');
    const present = { create: () => ({}) as GPU, globals: {} };
    await expect(loadWebgpu(() => Promise.resolve(present))).resolves.toBe(present);
  });

  it('quiet Node runs: SwiftShader added, lavapipe (which Dawn rejects) left out, a private XDG_RUNTIME_DIR — only where the user set nothing, and only once', () => {
    if (process.platform !== 'linux') return;
    const env: NodeJS.ProcessEnv = {};
    const set = quietEnvironment(env);
    expect(Object.keys(set).sort()).toEqual(['VK_ADD_DRIVER_FILES', 'VK_LOADER_DRIVERS_DISABLE', 'XDG_RUNTIME_DIR']);
    expect(env.VK_LOADER_DRIVERS_DISABLE).toBe('*lvp*');
    expect(existsSync(env.XDG_RUNTIME_DIR!)).toBe(true);
    expect(quietEnvironment(env)).toEqual({});
    expect(env.VK_ADD_DRIVER_FILES!.split(':')).toHaveLength(1);
    const mine: NodeJS.ProcessEnv = { XDG_RUNTIME_DIR: '/run/user/1000', VK_LOADER_DRIVERS_DISABLE: '' };
    expect(Object.keys(quietEnvironment(mine))).toEqual(['VK_ADD_DRIVER_FILES']);
    expect(quietEnvironment({ VK_ICD_FILENAMES: '/my/icd.json' })).toEqual({});
  });
});
