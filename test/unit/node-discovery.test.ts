// Node's WebGPU set-up finds Chrome's SwiftShader driver and a browser for Puppeteer, and says
// what to install when something is missing.

import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/node/browser.js';
import { findSwiftShaderIcd } from '../../src/node/webgpu.js';

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
});
