// The cost surface of linear regression (Other models tab): the lecture's houses by size alone
// (normalised), J(θ₀, θ₁) over a grid computed on the GPU (costSurface, log₁₀ J, drawn as a heat
// map straight from its buffer), and the paths batch and stochastic gradient descent take across
// it from θ = 0, step by step, to the normal equation's θ (+), with a colour scale of J. The α
// control shows slow convergence, good convergence, a zig-zag and overshooting; the note says
// where a path leaves the plotted area, and why a run diverges: α past 2/λ_max of the Hessian
// XᵀX/m (the step overshoots the minimum by more than it started from), with the epoch the
// library's divergence guard stopped it at.

import { BufferUsage, DivergenceError, HOUSES, LinearRegression, Random, costSurface, costText as libraryCostText, reference } from '../src/index.js';
import { type App, byId, latestOnly, setChildren } from './app.js';
import { pageBuffer } from './buffers.js';
import { Chart } from './chart.js';
import { CLASS_CSS } from './plane-grid.js';

const CELLS = 96;
const EPOCHS = 40;
const PATHS = [
  { name: 'batch', css: CLASS_CSS[0]!, stochastic: false },
  { name: 'stochastic', css: CLASS_CSS[1]!, stochastic: true },
];

/** The houses' sizes normalised as the lecture does, their prices, and the normal equation's θ. */
function houses(): { x: number[]; y: number[]; best: [number, number] } {
  const sizes = reference.hostMatrix(5, 1, HOUSES.x.map((r) => r[0]!));
  const design = reference.designMatrix(sizes, reference.featureStats(sizes));
  const y = Array.from(HOUSES.y);
  const theta = reference.normalEquation(design, y);
  return { x: Array.from({ length: 5 }, (_, i) => design.data[2 * i + 1]!), y, best: [theta[0]!, theta[1]!] };
}

/** The heat map's colours at the lowest and highest J. */
const LOW = [0.98, 0.98, 0.85, 1] as const;
const HIGH = [0.2, 0.35, 0.55, 1] as const;
const css = (c: readonly number[]) => `rgb(${c.slice(0, 3).map((v) => Math.round(255 * v)).join(', ')})`;
const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** J/m as the note shows it: as the library's messages show a cost (costText), or infinity. */
function costText(cost: number | undefined): string {
  return cost === undefined || !Number.isFinite(cost) ? 'infinity' : libraryCostText(cost);
}

/**
 * The colour scale beside the heat map: the ramp from LOW to HIGH as a bar, J at each power of
 * ten between (log₁₀ J from `low` to `high` on the bar), and the range in data attributes.
 */
function colourScale(el: HTMLElement, low: number, high: number): void {
  const bar = document.createElement('div');
  bar.className = 'bar';
  bar.style.background = `linear-gradient(to top, ${css(LOW)}, ${css(HIGH)})`;
  const ticks: HTMLElement[] = [];
  for (let k = Math.ceil(low); k <= Math.floor(high); k++) {
    const t = document.createElement('span');
    t.textContent = `10${String(k).split('').map((d) => (d === '-' ? '⁻' : SUPERSCRIPT[Number(d)])).join('')}`;
    t.style.bottom = `${(100 * (k - low)) / (high - low)}%`;
    t.dataset.log10 = String(k);
    ticks.push(t);
  }
  setChildren(el, [bar, ...ticks]);
  el.dataset.low = String(low);
  el.dataset.high = String(high);
}

/** λ_max of XᵀX/m for the design [1, x]: the step size 2/λ_max is where batch descent stops converging. */
function largestEigenvalue(x: readonly number[]): number {
  const m = x.length;
  const [a, b, d] = [1, x.reduce((s, v) => s + v, 0) / m, x.reduce((s, v) => s + v * v, 0) / m];
  return (a + d) / 2 + Math.sqrt(((a - d) / 2) ** 2 + b * b);
}

/** The plotted area: θ₀ and θ₁ ranges around the normal equation's θ. */
interface View {
  x: number[];
  y: number[];
  best: [number, number];
  t0: [number, number];
  t1: [number, number];
  lambdaMax: number;
}

/** One descent's path across the surface. */
interface Run {
  name: string;
  css: string;
  points: [number, number][];
}

/**
 * Θ along one run from θ = 0 (where linear regression starts), read back after every step
 * (what this view asks for): a step of batch descent is a one-epoch fit on the five houses; a
 * step of stochastic descent a fit on one house, the houses in a seeded shuffled order each
 * pass. Stops when a step diverges (Θ leaves float range).
 */
async function descentPath(app: App, { x, y }: View, a: number, stochastic: boolean): Promise<[number, number][]> {
  const model = new LinearRegression(app.ctx, { normalize: false });
  const points: [number, number][] = [[0, 0]];
  const rng = new Random(3);
  let order: number[] = [];
  try {
    for (let step = 0; step < EPOCHS; step++) {
      if (step % 5 === 0) order = rng.permutation(5);
      const i = order[step % 5]!;
      try {
        await model.fit(stochastic ? [[x[i]!]] : x.map((v) => [v]), stochastic ? [y[i]!] : y, { epochs: 1, optimizer: 'sgd', learningRate: a, checkpointEvery: 0 });
      } catch (err) {
        if (err instanceof DivergenceError) break;
        throw err;
      }
      const theta = await model.getTheta();
      points.push([theta[0]!, theta[1]!]);
    }
    return points;
  } finally {
    model.destroy();
  }
}

/** The library's own verdict on a whole run of batch descent at α: its DivergenceError, if it diverges. */
async function verdict(app: App, { x, y }: View, a: number): Promise<DivergenceError | undefined> {
  const model = new LinearRegression(app.ctx, { normalize: false });
  try {
    await model.fit(x.map((v) => [v]), y, { epochs: EPOCHS, optimizer: 'sgd', learningRate: a, batchSize: 'full' });
    return undefined;
  } catch (e) {
    if (e instanceof DivergenceError) return e;
    throw e;
  } finally {
    model.destroy();
  }
}

/** A path's steps as a line with a dot per step, clipped to the plot. */
function drawPath(chart: Chart, { t0, t1 }: View, points: [number, number][], css: string): void {
  const g = chart.overlay;
  g.save();
  g.beginPath();
  g.rect(chart.area.x, chart.area.y, chart.area.width, chart.area.height);
  g.clip();
  g.strokeStyle = css;
  g.fillStyle = css;
  g.lineWidth = 1.5;
  g.beginPath();
  points.forEach(([a, b], i) => (i ? g.lineTo : g.moveTo).call(g, ...chart.toPixel(a, b, t0, t1)));
  g.stroke();
  for (const [a, b] of points) {
    g.beginPath();
    g.arc(...chart.toPixel(a, b, t0, t1), 2.2, 0, 2 * Math.PI);
    g.fill();
  }
  g.restore();
}

/** The normal equation's θ, as a +. */
function drawBest(chart: Chart, { best, t0, t1 }: View): void {
  const g = chart.overlay;
  const [bx, by] = chart.toPixel(best[0], best[1], t0, t1);
  g.strokeStyle = '#000';
  g.lineWidth = 2;
  g.beginPath();
  g.moveTo(bx - 6, by);
  g.lineTo(bx + 6, by);
  g.moveTo(bx, by - 6);
  g.lineTo(bx, by + 6);
  g.stroke();
}

/** The note under the plot: where batch descent ended, where a path leaves the plot, and why a run diverged; the same in data attributes for the tests. */
function explain(note: HTMLElement, view: View, runs: Run[], a: number, diverged: DivergenceError | undefined): void {
  const { best, t0, t1, lambdaMax } = view;
  const batch = runs[0]!;
  const end = batch.points[batch.points.length - 1]!;
  note.dataset.theta = JSON.stringify(end);
  note.dataset.best = JSON.stringify(best);
  const leaving = runs.map((r) => ({ name: r.name, step: r.points.findIndex(([p, q]) => p < t0[0] || p > t0[1] || q < t1[0] || q > t1[1]) })).filter((r) => r.step >= 0);
  note.dataset.leaves = JSON.stringify(leaving.map((r) => r.name));
  note.dataset.paths = JSON.stringify(runs.map((r) => ({ name: r.name, points: r.points })));
  note.dataset.range = JSON.stringify([t0, t1]);
  const off = leaving.map((r) => ` The ${r.name} path leaves the plotted area at step ${r.step} and goes on overshooting out of sight.`).join('');
  // A divergence is this view's lesson, not a failure of the page: shown, not logged.
  if (diverged) {
    note.textContent = `α = ${a} is past 2/λ_max = ${(2 / lambdaMax).toFixed(2)} for this surface (λ_max is the largest eigenvalue of its Hessian XᵀX/m, ${lambdaMax.toFixed(2)} with the sizes normalised): ` +
      `every step of batch descent overshoots the minimum by more than it started from, so J grows — the library stopped the run at epoch ${diverged.epoch}, ` +
      `when J/m had risen to ${costText(diverged.history.at(-1)?.cost)}.${off}`;
    note.classList.add('error');
  } else note.textContent = `After ${EPOCHS} steps of batch descent θ = (${end[0].toFixed(2)}, ${end[1].toFixed(2)}); the normal equation gives (${best[0].toFixed(2)}, ${best[1].toFixed(2)}) (+).${off}`;
  note.dataset.done = String(Date.now());
}

/** The houses, the plotted ranges around the normal equation's θ, and λ_max. */
function view(): View {
  const { x, y, best } = houses();
  const span = 1.25 * Math.max(Math.abs(best[0]), Math.abs(best[1]), 1);
  return { x, y, best, t0: [best[0] - span, best[0] + span], t1: [best[1] - span, best[1] + span], lambdaMax: largestEigenvalue(x) };
}

export function setupSurface(app: App): { draw(): Promise<void> } {
  const chart = new Chart(byId('surface-chart'), app, 380, 320);
  const note = byId('surface-note');
  const alpha = byId<HTMLSelectElement>('surface-alpha');
  const v = view();
  const { x, y, best, t0, t1 } = v;
  const surface = pageBuffer(app.ctx, 'demo cost surface', CELLS * CELLS * 4, BufferUsage.STORAGE | BufferUsage.COPY_DST);
  // The colour range: log₁₀ J at the best θ and at the grid's far corners (the reference, on the CPU: five houses).
  const corners = reference.costSurface(x, y, t0, t1, 2, 2, true);
  const lowest = Math.log10(reference.costSurface(x, y, [best[0], best[0] + 1], [best[1], best[1] + 1], 2, 2)[0]!);
  const highest = corners.reduce((a, b) => Math.max(a, b), -Infinity);
  let layer: ReturnType<typeof app.plotter.heatmap> | undefined;
  colourScale(byId('surface-scale'), lowest, highest);

  // Everything is computed before anything is drawn, so a draw overtaken by a newer α draws nothing.
  const draw = latestOnly(note, async (stale) => {
    const a = Number(alpha.value);
    note.classList.remove('error');
    note.textContent = `Running batch and stochastic gradient descent with α = ${a}…`;
    await costSurface(app.ctx, { x, y, theta0: t0, theta1: t1, cols: CELLS, rows: CELLS, log10: true }, { buffer: surface });
    const runs: Run[] = [];
    for (const p of PATHS) runs.push({ name: p.name, css: p.css, points: await descentPath(app, v, a, p.stochastic) });
    const diverged = await verdict(app, v, a);
    if (stale()) return;
    layer ??= app.plotter.heatmap({ rect: chart.rect, buffer: surface, rows: CELLS, cols: CELLS, flipY: true, range: [lowest, highest], palette: [LOW, HIGH] });
    chart.drawAxes({ x: t0, y: t1, xLabel: 'θ₀ (price at the mean size, k€)', yLabel: 'θ₁ (k€ per σ of size)', grid: false });
    chart.draw([layer]);
    chart.clearOverlay();
    for (const r of runs) drawPath(chart, v, r.points, r.css);
    drawBest(chart, v);
    explain(note, v, runs, a, diverged);
  });

  alpha.addEventListener('change', () => void draw());
  return { draw };
}
