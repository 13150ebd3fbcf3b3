// Node's WebGPU set-up finds Chrome's SwiftShader driver and a browser for Puppeteer, and says
// what to install when something is missing.

import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/node/browser.js';
import { NoAdapterError } from '../../src/gpu/errors.js';
import { findSwiftShaderIcd, loadWebgpu } from '../../src/node/webgpu.js';

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
});
