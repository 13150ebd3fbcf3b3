// A validation curve as the page draws it: J_train and J_cv against log₁₀ λ, from a GPU buffer
// the curves are written into (the plot shader reads them there), the chosen λ dashed. The Model
// selection tab and the playground share it.

import type { App } from './app.js';
import type { Chart } from './chart.js';
import { BLUE, ORANGE } from './plane-grid.js';

/**
 * Draws J_train and J_cv at `lambdas` (evenly spaced decades) on `chart` from `buffer`, where
 * they are written first at float `offset` (train, then validation), up to `top`; marks `best`.
 */
export function drawLambdaCurve(app: App, chart: Chart, buffer: GPUBuffer, offset: number, lambdas: readonly number[], curves: { train: readonly number[]; validation: readonly number[]; best: number }, top: number): void {
  app.ctx.device.queue.writeBuffer(buffer, offset * 4, new Float32Array([...curves.train, ...curves.validation]));
  const lx = [Math.log10(lambdas[0]!), Math.log10(lambdas.at(-1)!)] as const;
  const step = (lx[1] - lx[0]) / (lambdas.length - 1);
  chart.drawAxes({ x: lx, y: [0, top], xLabel: 'log₁₀ λ', yLabel: 'J (no λ term)' });
  chart.draw([app.plotter.lines({
    rect: chart.rect, x: lx, y: [0, top],
    series: [BLUE, ORANGE].map((color, i) => ({ buffer, offset: offset + i * lambdas.length, count: lambdas.length, x0: lx[0], dx: step, color: [...color] as [number, number, number], width: 2 * chart.ratio })),
  })]);
  const g = chart.overlay;
  chart.clearOverlay();
  const [bx] = chart.toPixel(Math.log10(curves.best), 0, lx, [0, top]);
  g.strokeStyle = '#222';
  g.setLineDash([5, 4]);
  g.beginPath();
  g.moveTo(bx, chart.area.y);
  g.lineTo(bx, chart.area.y + chart.area.height);
  g.stroke();
  g.setLineDash([]);
}
