// The Other models tab: the lecture's regression family on data you can see. House prices
// (./houses.ts) and their cost surface (./surface.ts); logistic
// regression's P(y = 1 | x) over the plane and its decision boundary; softmax regression's
// three class regions. Lines and regions come from the models' predictions written into GPU
// buffers (predictInto) and the trainer's history buffers; the data points are drawn on a 2-D
// overlay.

import { BufferUsage, LogisticRegression, Random, SoftmaxRegression } from '../src/index.js';
import type { PlotLayer } from '../src/plot/index.js';
import { type App, byId, showError } from './app.js';
import { Chart } from './chart.js';
import { pageBuffer } from './buffers.js';
import { drawHouses } from './houses.js';
import { setupSurface } from './surface.js';
import { BLUE, GREEN, GRID, ORANGE, gridPoints } from './plane-grid.js';

/** Seeded Gaussian-ish blobs: `perClass` points around each centre. */
function blobs(seed: number, centres: [number, number][], perClass: number, spread: number): { x: number[][]; y: number[] } {
  const rng = new Random(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < perClass; i++) {
    centres.forEach(([cx, cy], k) => {
      const g = () => spread * (rng.next() + rng.next() + rng.next() - 1.5);
      x.push([cx + g(), cy + g()]);
      y.push(k);
    });
  }
  return { x, y };
}

/** A dashed line across the plot from x₁ = xr[0] to xr[1] along the boundary x₂(x₁), clipped to the plot. */
function drawBoundary(chart: Chart, x2: (x1: number) => number, xr: readonly [number, number], yr: readonly [number, number]): void {
  const g = chart.overlay;
  g.strokeStyle = '#222';
  g.lineWidth = 2;
  g.setLineDash([6, 4]);
  g.save();
  g.beginPath();
  g.rect(chart.area.x, chart.area.y, chart.area.width, chart.area.height);
  g.clip();
  g.beginPath();
  g.moveTo(...chart.toPixel(xr[0], x2(xr[0]), xr, yr));
  g.lineTo(...chart.toPixel(xr[1], x2(xr[1]), xr, yr));
  g.stroke();
  g.restore();
  g.setLineDash([]);
}

const USAGE = BufferUsage.STORAGE | BufferUsage.COPY_DST;

/** Logistic regression on two blobs: P(y = 1 | x) over the plane, the points, and the decision boundary. */
async function logistic(app: App): Promise<void> {
  const { ctx, plotter } = app;
  const chart = new Chart(byId('logistic-chart'), app, 380, 300);
  const data = blobs(5, [[-1, -0.5], [1.2, 0.8]], 40, 1.6);
  const xr = [-3.5, 3.5] as const;
  const yr = [-3, 3] as const;
  const model = new LogisticRegression(ctx);
  const probabilities = pageBuffer(ctx, 'demo logistic grid', GRID * GRID * 4, USAGE);
  try {
    await model.fit(data.x, data.y, { epochs: 200, learningRate: 0.5 });
    await model.predictInto(gridPoints(xr, yr), { buffer: probabilities });
    const boundary = await model.decisionBoundary();
    chart.drawAxes({ x: xr, y: yr, xLabel: 'x₁', yLabel: 'x₂', grid: false });
    const layer: PlotLayer = plotter.heatmap({
      rect: chart.rect, buffer: probabilities, rows: GRID, cols: GRID, flipY: true, range: [0, 1],
      palette: [[...BLUE, 0.45], [...ORANGE, 0.45]],
    });
    chart.draw([layer]);
    chart.dots(data.x, data.y, xr, yr);
    drawBoundary(chart, (x1) => boundary.x2(x1), xr, yr);
  } finally {
    model.destroy();
  }
}

/** Softmax regression on three blobs: the class regions over the plane and the points. */
async function softmax(app: App): Promise<void> {
  const { ctx, plotter } = app;
  const chart = new Chart(byId('softmax-chart'), app, 380, 300);
  const data = blobs(6, [[-1.6, -1], [1.6, -1], [0, 1.6]], 30, 1.5);
  const xr = [-3.5, 3.5] as const;
  const yr = [-3, 3.5] as const;
  const model = new SoftmaxRegression(ctx, { classes: 3 });
  const probabilities = pageBuffer(ctx, 'demo softmax grid', GRID * GRID * 3 * 4, USAGE);
  try {
    await model.fit(data.x, data.y, { epochs: 200, learningRate: 0.5 });
    await model.predictInto(gridPoints(xr, yr), { buffer: probabilities });
    chart.drawAxes({ x: xr, y: yr, xLabel: 'x₁', yLabel: 'x₂', grid: false });
    chart.draw([plotter.heatmap({
      rect: chart.rect, buffer: probabilities, rows: GRID, cols: GRID, classes: 3, flipY: true,
      palette: [[...BLUE, 0.5], [...ORANGE, 0.5], [...GREEN, 0.5]],
    })]);
    chart.dots(data.x, data.y, xr, yr);
  } finally {
    model.destroy();
  }
}

export function setupModelsTab(app: App): { show(): Promise<void> } {
  const status = byId('models-status');
  let started: Promise<void> | undefined;
  const surface = setupSurface(app);
  return {
    show: () =>
      (started ??= (async () => {
        status.textContent = 'Training the models on the GPU…';
        const t0 = performance.now();
        try {
          await drawHouses(app);
          await surface.draw();
          await logistic(app);
          await softmax(app);
          status.textContent = `Trained and drawn in ${((performance.now() - t0) / 1000).toFixed(1)} s.`;
          status.dataset.done = 'true';
        } catch (e) {
          showError(status, e);
        }
      })()),
  };
}
