// The playground's decision map: P(y = 1 | x) over the square as the network predicted it
// into a GPU buffer (predictInto: one σ unit, or softmax's two probabilities), the training
// points filled and the test points ringed on a 2-D overlay, and clicks turned into points. A
// network with no hidden layer also gets its decision boundary θᵀx = 0 drawn as the straight
// line it is: where no line separates the classes its map is nearly uniform (P ≈ ½ everywhere),
// and the line is what the page's text points at.

import type { App } from '../app.js';
import { Chart } from '../chart.js';
import type { PlaygroundData } from './data.js';
import { BLUE, CLASS_CSS, GRID, ORANGE } from '../plane-grid.js';
import { SQUARE } from './diagram.js';

export class DecisionMap {
  readonly chart: Chart;
  private layer: ReturnType<App['plotter']['heatmap']> | undefined;
  private last: PlaygroundData | undefined;
  /** θ of the straight boundary θ₀ + θ₁x₁ + θ₂x₂ = 0 to draw, if the network has one. */
  private boundary: readonly number[] | undefined;

  constructor(
    private readonly app: App,
    container: HTMLElement,
    onClick: (x: [number, number]) => void,
  ) {
    this.chart = new Chart(container, app, 330, 330, { left: 40, right: 8, top: 8, bottom: 34 });
    this.chart.drawAxes({ x: SQUARE, y: SQUARE, xLabel: 'x₁', yLabel: 'x₂', grid: false });
    const overlay = this.chart.canvases[2]!;
    overlay.addEventListener('click', (e) => {
      const a = this.chart.area;
      const box = overlay.getBoundingClientRect();
      const u = (e.clientX - box.left - a.x) / a.width;
      const v = (e.clientY - box.top - a.y) / a.height;
      if (u >= 0 && u <= 1 && v >= 0 && v <= 1) onClick([-1 + 2 * u, 1 - 2 * v]);
    });
  }

  /** Draws from `buffer`: GRID² values P(y = 1) (classes 1) or pairs of class probabilities (classes 2). */
  setSource(buffer: GPUBuffer, classes: number): void {
    this.layer?.destroy();
    const { plotter } = this.app;
    const rect = this.chart.rect;
    this.layer = classes === 1
      ? plotter.heatmap({ rect, buffer, rows: GRID, cols: GRID, flipY: true, range: [0, 1], palette: [[...BLUE, 0.55], [0.97, 0.97, 0.97, 0.55], [...ORANGE, 0.55]] })
      : plotter.heatmap({ rect, buffer, rows: GRID, cols: GRID, classes: 2, flipY: true, palette: [[...BLUE, 0.55], [...ORANGE, 0.55]] });
  }

  draw(): void {
    if (this.layer) this.chart.draw([this.layer]);
  }

  /** Draws the boundary θ₀ + θ₁x₁ + θ₂x₂ = 0 with the points from now on (undefined: none). */
  setBoundary(theta: readonly number[] | undefined): void {
    this.boundary = theta;
    if (this.last) this.drawPoints(this.last);
  }

  /**
   * The part of θ₀ + θ₁x₁ + θ₂x₂ = 0 inside the square, as its two ends (x₁, x₂), or undefined
   * where the line misses the square (or θ₁ = θ₂ = 0: no line).
   */
  static segment(theta: readonly number[]): [number, number][] | undefined {
    const [t0, t1, t2] = theta as [number, number, number];
    const [lo, hi] = SQUARE;
    const ends: [number, number][] = [];
    const add = (x: number, y: number) => {
      if (x >= lo - 1e-9 && x <= hi + 1e-9 && y >= lo - 1e-9 && y <= hi + 1e-9 && !ends.some(([a, b]) => Math.abs(a - x) + Math.abs(b - y) < 1e-9)) ends.push([x, y]);
    };
    for (const edge of [lo, hi]) {
      if (t2 !== 0) add(edge, -(t0 + t1 * edge) / t2);
      if (t1 !== 0) add(-(t0 + t2 * edge) / t1, edge);
    }
    return ends.length >= 2 ? [ends[0]!, ends[1]!] : undefined;
  }

  /** The points: training ones filled, test ones ringed in their class colour; then the boundary, if any. */
  drawPoints(data: PlaygroundData): void {
    this.last = data;
    this.chart.canvases[2]!.parentElement!.dataset.train = JSON.stringify(data.train);
    this.chart.clearOverlay();
    const dot = (p: [number, number], label: number, test: boolean) =>
      this.chart.dot(p[0], p[1], SQUARE, SQUARE, test ? { radius: 3.2, fill: '#fff', stroke: CLASS_CSS[label]!, lineWidth: 1.8 } : { radius: 3.6, fill: CLASS_CSS[label]!, stroke: '#fff', lineWidth: 1 });
    data.train.x.forEach((p, i) => dot(p, data.train.y[i]!, false));
    data.test.x.forEach((p, i) => dot(p, data.test.y[i]!, true));
    this.drawBoundary();
  }

  private drawBoundary(): void {
    const el = this.chart.canvases[2]!.parentElement!;
    const ends = this.boundary && DecisionMap.segment(this.boundary);
    el.dataset.boundary = this.boundary ? JSON.stringify(ends ?? 'outside') : '';
    el.dataset.theta = this.boundary ? JSON.stringify(this.boundary) : '';
    if (!ends) return;
    const g = this.chart.overlay;
    const [a, b] = ends.map(([x, y]) => this.chart.toPixel(x, y, SQUARE, SQUARE)) as [[number, number], [number, number]];
    g.save();
    g.strokeStyle = '#222';
    g.lineWidth = 2;
    g.setLineDash([7, 4]);
    g.beginPath();
    g.moveTo(a[0], a[1]);
    g.lineTo(b[0], b[1]);
    g.stroke();
    g.restore();
    el.dataset.boundaryPixels = JSON.stringify([a, b]);
  }

  destroy(): void {
    this.layer?.destroy();
  }
}
