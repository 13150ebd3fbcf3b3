// The Other models tab's house prices: the lecture's five houses by size with the lines batch
// and stochastic descent fit (their α and passes said) beside the normal equation's line, dashed —
// the minimum the cost surface below (./surface.ts) shows batch descent reaching — a note with
// each run's θ and J/m, and the cost per pass of each run from the trainer's history buffers.

import { BufferUsage, HOUSES, LinearRegression, reference } from '../src/index.js';
import { type App, byId, setChildren } from './app.js';
import { pageBuffer } from './buffers.js';
import { Chart } from './chart.js';
import { BLUE, ORANGE } from './plane-grid.js';

/** Batch and stochastic descent on the houses by size: α and passes as the page says them. */
const HOUSE_RUNS = [
  { name: 'batch', options: { batchSize: 'full' as const, learningRate: 0.3 }, color: BLUE },
  { name: 'stochastic', options: { batchSize: 1, learningRate: 0.1, seed: 3 }, color: ORANGE },
];
const HOUSE_EPOCHS = 40;

export async function drawHouses(app: App): Promise<void> {
  const { ctx, plotter } = app;
  const usage = BufferUsage.STORAGE | BufferUsage.COPY_DST;
  const fit = new Chart(byId('houses-chart'), app, 380, 250);
  const costs = new Chart(byId('houses-cost'), app, 380, 250, { left: 60, right: 12, top: 8, bottom: 34 });
  const x = HOUSES.x.map((row) => [row[0]!]);
  const y = Array.from(HOUSES.y);
  const xr = [1200, 3200] as const;
  const yr = [200, 600] as const;
  const epochs = HOUSE_EPOCHS;
  const lines = pageBuffer(ctx, 'demo house lines', 2 * HOUSE_RUNS.length * 4, usage);
  const histories: GPUBuffer[] = [];
  const ends: { name: string; theta: number[]; cost: number }[] = [];
  let maxCost = 0;
  for (const [i, r] of HOUSE_RUNS.entries()) {
    const model = new LinearRegression(ctx);
    try {
      const history = pageBuffer(ctx, `demo house history ${r.name}`, 16 * epochs, usage);
      histories.push(history);
      const result = await model.fit(x, y, { epochs, historyBuffer: history, ...r.options });
      maxCost = result.history.reduce((most, h) => Math.max(most, h.cost), maxCost);
      await model.predictInto([[xr[0]], [xr[1]]], { buffer: lines, offset: 2 * i });
      ends.push({ name: r.name, theta: Array.from(await model.getRawTheta()), cost: (await model.cost(x, y)).mean });
    } finally {
      model.destroy();
    }
  }
  const design = reference.designMatrix(reference.hostMatrix(5, 1, x.map((row) => row[0]!)));
  const best = Array.from(reference.normalEquation(design, y));
  fit.drawAxes({ x: xr, y: yr, xLabel: HOUSES.features[0], yLabel: HOUSES.target });
  fit.draw([plotter.lines({
    rect: fit.rect, x: xr, y: yr,
    series: HOUSE_RUNS.map((r, i) => ({ buffer: lines, offset: 2 * i, count: 2, x0: xr[0], dx: xr[1] - xr[0], color: r.color, width: 2 * fit.ratio })),
  })]);
  normalLine(fit, best, xr, yr);
  fit.dots(x.map((row, i) => [row[0]!, y[i]!]), y, xr, yr, '#333');
  const cr = [0, maxCost * 1.05] as const;
  costs.drawAxes({ x: [0, epochs], y: cr, xLabel: 'pass over the 5 houses (epoch)', yLabel: 'J/m' });
  costs.draw([plotter.lines({
    rect: costs.rect, x: [0, epochs], y: cr,
    series: HOUSE_RUNS.map((r, i) => ({ buffer: histories[i]!, stride: 4, count: epochs, x0: 1, color: r.color, width: 2 * costs.ratio })),
  })]);
  housesNote(ends, best, reference.cost('linear', design, y, reference.hostMatrix(1, 2, best)).mean);
}

/** The normal equation's line, dashed, on the overlay. */
function normalLine(chart: Chart, theta: number[], xr: readonly [number, number], yr: readonly [number, number]): void {
  const g = chart.overlay;
  g.save();
  g.beginPath();
  g.rect(chart.area.x, chart.area.y, chart.area.width, chart.area.height);
  g.clip();
  g.strokeStyle = '#222';
  g.lineWidth = 1.5;
  g.setLineDash([5, 4]);
  g.beginPath();
  g.moveTo(...chart.toPixel(xr[0], theta[0]! + theta[1]! * xr[0], xr, yr));
  g.lineTo(...chart.toPixel(xr[1], theta[0]! + theta[1]! * xr[1], xr, yr));
  g.stroke();
  g.restore();
}

/** Where each run ended, beside the normal equation's θ and J/m. */
function housesNote(ends: { name: string; theta: number[]; cost: number }[], best: number[], bestCost: number): void {
  const note = byId('houses-note');
  const show = (t: number[]) => `θ = (${t[0]!.toFixed(1)}, ${t[1]!.toFixed(4)})`;
  setChildren(byId('houses-legend'), [
    ...HOUSE_RUNS.flatMap((r, i) => [Object.assign(document.createElement('i'), { className: `c${i}` }), `${r.name}, α = ${r.options.learningRate} `]),
    Object.assign(document.createElement('i'), { className: 'dash' }), 'normal equation',
  ]);
  note.textContent = `After ${HOUSE_EPOCHS} passes: ${ends.map((e) => `${e.name} ${show(e.theta)}, J/m ${e.cost.toFixed(1)}`).join('; ')}. ` +
    `The normal equation (dashed): ${show(best)}, J/m ${bestCost.toFixed(1)} — batch descent reaches it; stochastic descent at a constant α keeps moving around it.`;
  note.dataset.runs = JSON.stringify(ends);
  note.dataset.best = JSON.stringify(best);
}
