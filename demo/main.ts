// The demo page: a 20×20 digit classifier trained in the browser, and the lecture's other
// models. It finds a WebGPU adapter (or says plainly why there is none), fetches the digits,
// restores the last model kept in the browser, and wires up the tabs. The learning code is
// the library's public API (src/index.ts), called as any embedding app would.

import { type GpuContext, NeuralNetwork, NoAdapterError, createContext, parseDigits } from '../src/index.js';
import { Plotter } from '../src/plot/index.js';
import { type App, byId, showError } from './app.js';
import { setupGallery } from './gallery.js';
import { setupModelsTab } from './models.js';
import { setupPad } from './pad.js';
import { loadLastModel, saveLastModel } from './storage.js';
import { setupTrainTab, showActivation } from './train.js';
import { setupBackprop } from './backprop.js';
import { setupPlayground } from './playground/playground.js';
import { setupSelectionTab } from './selection.js';

declare global {
  interface Window {
    /** For tests and the console: the page's GPU context and state. */
    wgslLearnDemo?: App;
  }
}

function noWebGpu(reason: string): void {
  byId('no-webgpu-reason').textContent = reason;
  byId('no-webgpu').hidden = false;
  byId('adapter').textContent = 'No WebGPU adapter.';
  document.body.dataset.state = 'no-webgpu';
}

function showTab(name: string, onShow: Record<string, () => void>): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>('[role="tab"]')) b.setAttribute('aria-selected', String(b.dataset.tab === name));
  for (const s of document.querySelectorAll<HTMLElement>('.tab')) s.hidden = s.id !== `tab-${name}`;
  onShow[name]?.();
}

function watchDeviceLoss(ctx: GpuContext): void {
  void ctx.device.lost.then((info) => {
    byId('device-lost-reason').textContent = `${info.reason === 'destroyed' ? 'The device was destroyed' : 'The browser reported'}: ${info.message || 'no message'}.`;
    byId('device-lost').hidden = false;
    byId('tabs').hidden = true;
    for (const s of document.querySelectorAll<HTMLElement>('.tab')) s.hidden = true;
    document.body.dataset.state = 'device-lost';
  });
  // A fresh page gets a fresh device, then restores the last saved model from IndexedDB.
  byId('continue-after-loss').addEventListener('click', () => location.reload());
}

/** The last model kept in this browser made the current one, and said so; false when there is none. */
async function restore(app: App, train: { adopt(network: NeuralNetwork, trained?: boolean): void }): Promise<boolean> {
  try {
    const saved = await loadLastModel();
    if (!saved) return false;
    train.adopt(NeuralNetwork.load(app.ctx, saved.model), true);
    (byId('settings') as HTMLFormElement).querySelector<HTMLInputElement>('[name="hidden"]')!.value = app.network!.hidden.join(', ');
    showActivation(byId('settings'), app.network!);
    const acc = saved.testAccuracy === null ? '' : `, test accuracy ${(100 * saved.testAccuracy).toFixed(2)} %`;
    byId('status').textContent = `Restored your last model (${saved.model.layers.join('-')}, saved ${new Date(saved.savedAt).toLocaleString()}${acc}). Train on, or Reset.`;
    byId('test-accuracy').textContent = saved.testAccuracy === null ? '—' : `${(100 * saved.testAccuracy).toFixed(2)} %`;
    byId('test-accuracy').dataset.value = String(saved.testAccuracy);
    return true;
  } catch (e) {
    console.warn('no model restored from this browser:', e);
    return false;
  }
}

async function main(): Promise<void> {
  if (!('gpu' in navigator) || !navigator.gpu) {
    noWebGpu('This browser does not offer WebGPU (navigator.gpu is missing).');
    return;
  }
  let ctx: GpuContext;
  try {
    ctx = await createContext();
  } catch (e) {
    if (e instanceof NoAdapterError) {
      noWebGpu('The browser has WebGPU, but it found no adapter it can use (WebGPU may be turned off, or the GPU blocked).');
      return;
    }
    throw e;
  }
  watchDeviceLoss(ctx);
  const a = ctx.adapter;
  byId('adapter').textContent = `Adapter: ${[a.vendor, a.architecture, a.description].filter(Boolean).join(' · ') || 'unnamed'}${a.isFallbackAdapter ? ' (software fallback)' : ''}`;
  byId('adapter').dataset.fallback = String(a.isFallbackAdapter);
  byId('fallback-warning').hidden = !a.isFallbackAdapter;

  const response = await fetch(new URL('digits-20x20.bin', document.baseURI));
  if (!response.ok) throw new Error(`could not fetch the digits (digits-20x20.bin): HTTP ${response.status}; run \`npm run dev\`, which builds the file first`);
  const digits = parseDigits(new Uint8Array(await response.arrayBuffer()));

  // Chrome's software adapter cannot present WebGPU canvases everywhere (headless Linux loses
  // every device of the page when one is presented), so on it plots are copied to 2-D canvases.
  const asked = new URLSearchParams(location.search).get('present');
  const present = asked === 'webgpu' || asked === 'copy' ? asked : a.isFallbackAdapter ? 'copy' : 'webgpu';
  const format = present === 'copy' ? 'rgba8unorm' : navigator.gpu.getPreferredCanvasFormat();
  const app: App = { ctx, plotter: new Plotter(ctx, format), present, digits, network: undefined, trained: false, training: false, onModelChange: [] };
  byId('adapter').dataset.present = present;
  window.wgslLearnDemo = app;
  const train = setupTrainTab(app, async (model, testAccuracy) => {
    try {
      await saveLastModel({ model, savedAt: new Date().toISOString(), testAccuracy });
    } catch (e) {
      console.warn('the model could not be kept in this browser (IndexedDB):', e);
    }
  });
  setupGallery(app);
  setupPad(app);
  const models = setupModelsTab(app);
  const backprop = setupBackprop(app);
  const playground = setupPlayground(app);
  const selection = setupSelectionTab(app);

  const onShow: Record<string, () => void> = { models: () => void models.show(), backprop: () => void backprop.show(), playground: () => playground.show(), selection: () => selection.show() };
  byId('tabs').hidden = false;
  for (const b of document.querySelectorAll<HTMLButtonElement>('[role="tab"]')) b.addEventListener('click', () => showTab(b.dataset.tab!, onShow));
  // The drawn digit on the Backpropagation tab, labelled as the network reads it (the label can be changed there).
  byId('pad-backprop').addEventListener('click', () => {
    byId<HTMLSelectElement>('bp-source').value = 'drawn';
    byId<HTMLSelectElement>('bp-source').dispatchEvent(new Event('change'));
    const best = byId('pad-best').dataset.best;
    if (best !== undefined) byId<HTMLSelectElement>('bp-label').value = best;
    showTab('backprop', onShow);
  });
  showTab('train', onShow);

  const restored = await restore(app, train);
  if (!restored) {
    byId('reset').click();
    byId('status').textContent = `${digits.train.x.rows.toLocaleString('en')} training and ${digits.test.x.rows.toLocaleString('en')} test digits loaded. Press Train.`;
  }
  document.body.dataset.state = restored ? 'trained' : 'ready';
}

main().catch((e) => {
  const status = document.getElementById('status');
  showError(status && !byId('tab-train').hidden ? status : byId('adapter'), e);
  document.body.dataset.state = 'failed';
});
