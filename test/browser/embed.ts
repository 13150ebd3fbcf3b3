// An app with its own WebGPU device and render loop (a render pass every animation frame, into
// an offscreen texture: the software adapter here cannot present canvases), which trains a
// classifier with wgsl-learn on the same device through the README's example while it keeps
// drawing. Reports, for test/browser/embed.test.ts, how many frames it completed before, during
// and after training, and whether its device and data came through intact.

import { trainOnAppDevice } from '../../examples/embed.js';
import { Random } from '../../src/random.js';

export interface EmbedReport {
  framesBefore: number;
  framesDuring: number;
  framesAfter: number;
  trainingMs: number;
  longestFrameGapMs: number;
  accuracy: number;
  deviceLost: boolean;
  appDataIntact: boolean;
  error?: string;
}

declare global {
  interface Window {
    embedReport: Promise<EmbedReport>;
  }
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function run(): Promise<EmbedReport> {
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) throw new Error('no WebGPU adapter');
  const device = await adapter.requestDevice({ label: 'the app’s device' });
  let lost = false;
  void device.lost.then(() => (lost = true));

  // The app's render loop: clear a texture to a colour that changes each frame, count completions.
  const target = device.createTexture({ label: 'app frame', size: [256, 256], format: 'rgba8unorm', usage: GPUTextureUsage.RENDER_ATTACHMENT });
  let completed = 0;
  let last = performance.now();
  let longestGap = 0;
  let measuring = false;
  let running = true;
  const frame = (t: number) => {
    if (!running) return;
    const enc = device.createCommandEncoder({ label: 'app frame' });
    const pass = enc.beginRenderPass({ label: 'app frame', colorAttachments: [{ view: target.createView(), loadOp: 'clear', storeOp: 'store', clearValue: { r: (t % 1000) / 1000, g: 0.3, b: 0.6, a: 1 } }] });
    pass.end();
    device.queue.submit([enc.finish()]);
    void device.queue.onSubmittedWorkDone().then(() => {
      completed++;
      const now = performance.now();
      if (measuring) longestGap = Math.max(longestGap, now - last);
      last = now;
    });
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);

  // The app's data, in its own buffers: 3 classes by the largest of the first three features.
  const m = 600;
  const n = 12;
  const rng = new Random(3);
  const x = Float32Array.from(rng.floats(m * n, 0, 1));
  const y = Float32Array.from({ length: m }, (_, i) => {
    const r = x.subarray(i * n, i * n + 3);
    return r.indexOf(Math.max(...r));
  });
  const buffer = (label: string, data: Float32Array<ArrayBuffer>) => {
    const b = device.createBuffer({ label, size: data.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(b, 0, data);
    return b;
  };
  const X = buffer('app x', x);
  const Y = buffer('app y', y);
  const H = buffer('app h', new Float32Array(m * 3));

  await wait(500);
  const framesBefore = completed;
  measuring = true;
  last = performance.now();
  const t0 = performance.now();
  await trainOnAppDevice(device, { x: X, y: Y, m, n }, H);
  const trainingMs = performance.now() - t0;
  measuring = false;
  const framesDuring = completed - framesBefore;
  await wait(500);
  const framesAfter = completed - framesBefore - framesDuring;
  running = false;

  // The app reads its buffers back itself: its data unchanged, and the predictions the library wrote.
  const read = async (b: GPUBuffer) => {
    const staging = device.createBuffer({ size: b.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const enc = device.createCommandEncoder();
    enc.copyBufferToBuffer(b, 0, staging, 0, b.size);
    device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(staging.getMappedRange().slice(0));
    staging.destroy();
    return out;
  };
  const [xBack, yBack, h] = [await read(X), await read(Y), await read(H)];
  const appDataIntact = xBack.every((v, i) => v === x[i]) && yBack.every((v, i) => v === y[i]);
  let right = 0;
  for (let i = 0; i < m; i++) {
    const row = Array.from(h.subarray(3 * i, 3 * i + 3));
    if (row.indexOf(Math.max(...row)) === y[i]) right++;
  }
  for (const b of [X, Y, H]) b.destroy();
  target.destroy();
  return { framesBefore, framesDuring, framesAfter, trainingMs, longestFrameGapMs: longestGap, accuracy: right / m, deviceLost: lost, appDataIntact };
}

window.embedReport = run().catch((e: Error) => ({
  framesBefore: 0, framesDuring: 0, framesAfter: 0, trainingMs: 0, longestFrameGapMs: 0, accuracy: 0, deviceLost: true, appDataIntact: false, error: `${e.name}: ${e.message}`,
}));
