// Node only: finds an installed Chrome, Chromium or Edge and the flags that give headless
// runs WebGPU (the SwiftShader adapter where there is no GPU), for Puppeteer.

import { existsSync } from 'node:fs';

const CANDIDATES: Record<string, string[]> = {
  linux: [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/google-chrome',
    '/usr/bin/microsoft-edge-stable',
    '/usr/bin/microsoft-edge',
    '/opt/google/chrome/chrome',
    '/snap/bin/chromium',
  ],
  darwin: [
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  ],
  win32: [
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
    'C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe',
  ],
};

/** PUPPETEER_EXECUTABLE_PATH if set, else the first Chrome/Chromium/Edge found in the usual places. */
export function findBrowser(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env.PUPPETEER_EXECUTABLE_PATH || env.CHROME_PATH;
  if (chosen) {
    if (!existsSync(chosen)) throw new Error(`PUPPETEER_EXECUTABLE_PATH/CHROME_PATH points to ${chosen}, which does not exist`);
    return chosen;
  }
  const found = (CANDIDATES[process.platform] ?? []).find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      'No Chrome, Chromium or Edge found. Install one (Debian/Ubuntu: `apt-get install chromium`) ' +
        'or set PUPPETEER_EXECUTABLE_PATH to its executable.',
    );
  }
  return found;
}

/** Command-line flags for a headless browser with WebGPU enabled. */
export function webgpuBrowserArgs(): string[] {
  const args = [
    '--enable-unsafe-webgpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-dev-shm-usage',
  ];
  // Chrome refuses to start its sandbox as root (CI containers): only then go without it.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return args;
}
