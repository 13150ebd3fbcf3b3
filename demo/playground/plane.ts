// The playground's decision map: P(y = 1 | x) over the square as the network predicted it
// into a GPU buffer (predictInto: one σ unit, or softmax's two probabilities), the training
// points filled and the test points ringed on a 2-D overlay, and clicks turned into points.

import type { App } from '../app.js';
import { Chart } from '../chart.js';
import type { PlaygroundData } from './data.js';
import { BLUE, CLASS_CSS, GRID, ORANGE } from '../plane-grid.js';
import { SQUARE } from './diagram.js';

export class DecisionMap {
  readonly chart: Chart;
  private layer: ReturnType<App['plotter']['heatmap']> | undefined;

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

  /** The points: training ones filled, test ones ringed in their class colour. */
  drawPoints(data: PlaygroundData): void {
    this.chart.clearOverlay();
    const dot = (p: [number, number], label: number, test: boolean) =>
      this.chart.dot(p[0], p[1], SQUARE, SQUARE, test ? { radius: 3.2, fill: '#fff', stroke: CLASS_CSS[label]!, lineWidth: 1.8 } : { radius: 3.6, fill: CLASS_CSS[label]!, stroke: '#fff', lineWidth: 1 });
    data.train.x.forEach((p, i) => dot(p, data.train.y[i]!, false));
    data.test.x.forEach((p, i) => dot(p, data.test.y[i]!, true));
  }

  destroy(): void {
    this.layer?.destroy();
  }
}
