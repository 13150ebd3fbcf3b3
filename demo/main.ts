// The demo page: it calls the same public API an embedding app would (src/index.ts), runs the
// sigmoid kernels over a range of z and plots them, and checks matmul against the float64
// reference at a few sizes, timing each multiply.

import { createContext, matmul, reference, sigmoid, sigmoidDerivative } from '../src/index.js';
import { Random } from '../src/random.js';
import { drawCurves } from './plot.js';

const adapterLine = document.getElementById('adapter')!;
const checks = document.getElementById('checks') as HTMLTableElement;

function addRow(cells: string[], ok: boolean): void {
  const row = checks.insertRow();
  cells.forEach((text, i) => {
    const cell = row.insertCell();
    cell.textContent = text;
    if (i === 1) cell.className = ok ? 'ok' : 'bad';
  });
}

async function main(): Promise<void> {
  const ctx = await createContext();
  const a = ctx.adapter;
  adapterLine.textContent = `Adapter: ${[a.vendor, a.architecture, a.description].filter(Boolean).join(' · ') || 'unnamed'}` +
    (a.isFallbackAdapter ? ' (software fallback: correct, but slow)' : '');

  // σ and σ' over z ∈ [−8, 8], on the GPU.
  const n = 321;
  const z = Float32Array.from({ length: n }, (_, i) => -8 + (16 * i) / (n - 1));
  const zBuf = ctx.upload('demo z', z);
  const aBuf = ctx.upload('demo a', new Float32Array(n));
  const gBuf = ctx.upload('demo g', new Float32Array(n));
  await sigmoid(ctx, { buffer: aBuf, length: n }, { buffer: zBuf, length: n });
  await sigmoidDerivative(ctx, { buffer: gBuf, length: n }, { buffer: aBuf, length: n });
  const [act, grad] = [await ctx.read(aBuf), await ctx.read(gBuf)];
  drawCurves(document.getElementById('plot') as HTMLCanvasElement, z, [
    { label: 'σ(z)', values: act, color: '#1565c0' },
    { label: "σ'(z)", values: grad, color: '#c62828' },
  ]);

  const rng = new Random(42);
  for (const [m, k, nCols] of [[1, 1, 1], [17, 31, 13], [256, 256, 256], [400, 400, 25]] as const) {
    const A = reference.hostMatrix(m, k, rng.floats(m * k));
    const B = reference.hostMatrix(k, nCols, rng.floats(k * nCols));
    const aG = ctx.upload('demo A', Float32Array.from(A.data));
    const bG = ctx.upload('demo B', Float32Array.from(B.data));
    const cG = ctx.upload('demo C', new Float32Array(m * nCols));
    const t0 = performance.now();
    await matmul(ctx, { buffer: cG, rows: m, cols: nCols }, { buffer: aG, rows: m, cols: k }, { buffer: bG, rows: k, cols: nCols });
    const got = await ctx.read(cG);
    const ms = performance.now() - t0;
    const want = reference.matmulReference(A, B).data;
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    addRow([`${m}×${k} · ${k}×${nCols}`, worst.toExponential(2), `${ms.toFixed(1)} ms`], worst <= 1e-6 * k + 1e-6);
    for (const buf of [aG, bG, cG]) ctx.release(buf);
  }
  ctx.destroy();
}

main().catch((e: Error) => {
  adapterLine.textContent = `${e.name}: ${e.message}`;
  adapterLine.className = 'bad';
});
