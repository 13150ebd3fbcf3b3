// A chart on the page: three stacked canvases of one size — 2-D axes below, the WebGPU plot
// (src/plot, drawn from GPU buffers) in the middle, a 2-D overlay on top for marks the page
// holds on the CPU anyway (data points). Pixel sizes follow the screen's pixel ratio.

import { type AxesOptions, PlotCanvas, type PlotLayer, type Rect, drawAxes } from '../src/plot/index.js';
import type { App } from './app.js';
import { CLASS_CSS } from './plane-grid.js';

export interface Margins {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export class Chart {
  readonly ratio = Math.min(2, Math.max(1, globalThis.devicePixelRatio || 1));
  readonly axes: CanvasRenderingContext2D;
  readonly overlay: CanvasRenderingContext2D;
  readonly gpu: PlotCanvas;
  /** The plotting area in CSS pixels (axes, overlay) and in device pixels (GPU layers). */
  readonly area: Rect;
  readonly rect: Rect;
  readonly canvases: HTMLCanvasElement[];

  constructor(
    container: HTMLElement,
    app: Pick<App, 'plotter' | 'present'>,
    readonly width: number,
    readonly height: number,
    margins: Margins = { left: 48, right: 12, top: 8, bottom: 34 },
  ) {
    container.replaceChildren();
    container.style.width = `${width}px`;
    container.style.height = `${height}px`;
    this.canvases = ['axes', 'plot', 'overlay'].map((role) => {
      const c = document.createElement('canvas');
      c.width = Math.round(width * this.ratio);
      c.height = Math.round(height * this.ratio);
      c.style.width = `${width}px`;
      c.style.height = `${height}px`;
      c.dataset.role = role;
      container.append(c);
      return c;
    });
    const [axes, plot, overlay] = this.canvases as [HTMLCanvasElement, HTMLCanvasElement, HTMLCanvasElement];
    this.axes = axes.getContext('2d')!;
    this.overlay = overlay.getContext('2d')!;
    for (const g of [this.axes, this.overlay]) g.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
    this.gpu = new PlotCanvas(app.plotter, plot, { present: app.present });
    this.area = { x: margins.left, y: margins.top, width: width - margins.left - margins.right, height: height - margins.top - margins.bottom };
    this.rect = { x: this.area.x * this.ratio, y: this.area.y * this.ratio, width: this.area.width * this.ratio, height: this.area.height * this.ratio };
  }

  /** The whole canvas, in device pixels (for layers that fill it). */
  get full(): Rect {
    return { x: 0, y: 0, width: this.width * this.ratio, height: this.height * this.ratio };
  }

  drawAxes(o: Omit<AxesOptions, 'rect'>): void {
    drawAxes(this.axes, { ...o, rect: this.area });
  }

  draw(layers: readonly PlotLayer[]): void {
    this.gpu.draw(layers);
  }

  /** Maps data (x, y) in the given ranges to overlay (CSS) pixels. */
  toPixel(x: number, y: number, xr: readonly [number, number], yr: readonly [number, number]): [number, number] {
    const a = this.area;
    return [a.x + ((x - xr[0]) / (xr[1] - xr[0])) * a.width, a.y + a.height - ((y - yr[0]) / (yr[1] - yr[0])) * a.height];
  }

  /** A data point (x, y) on the overlay: a disc of `radius` CSS pixels, filled and outlined. */
  dot(x: number, y: number, xr: readonly [number, number], yr: readonly [number, number], style: { radius: number; fill: string; stroke: string; lineWidth: number }): void {
    const g = this.overlay;
    const [px, py] = this.toPixel(x, y, xr, yr);
    g.beginPath();
    g.arc(px, py, style.radius, 0, 2 * Math.PI);
    g.fillStyle = style.fill;
    g.fill();
    g.strokeStyle = style.stroke;
    g.lineWidth = style.lineWidth;
    g.stroke();
  }

  /** Data points on the overlay, coloured by class (or all in `color`). */
  dots(x: number[][], y: number[], xr: readonly [number, number], yr: readonly [number, number], color?: string): void {
    x.forEach(([a, b], i) => this.dot(a!, b!, xr, yr, { radius: 4, fill: color ?? CLASS_CSS[y[i]!]!, stroke: '#fff', lineWidth: 1.2 }));
  }

  /** Frees the WebGPU canvas's textures (a chart replaced by another). */
  destroy(): void {
    this.gpu.destroy();
  }

  clearOverlay(): void {
    this.overlay.clearRect(0, 0, this.width, this.height);
  }
}
