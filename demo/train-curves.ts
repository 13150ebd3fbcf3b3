// The Train tab's plots: the cost and accuracy per epoch of every fit so far (each fit's history
// in its own GPU buffer, which the trainer writes and the curves read) and the hidden units'
// weights as 20×20 tiles (read from Θ⁽¹⁾ where it lives). Drawn at most once per animation frame;
// an epoch's numbers go up with the frame that draws it.

import type { EpochReport, NeuralNetwork } from '../src/index.js';
import type { PlotLayer } from '../src/plot/index.js';
import type { App } from './app.js';
import { byId } from './app.js';
import { Chart } from './chart.js';

const COLORS = { train: [0.082, 0.396, 0.753], test: [0.902, 0.318, 0] } as const;

/** One fit's history on the GPU: 4 floats per epoch, from epoch `base` of the network. */
export interface Segment {
  buffer: GPUBuffer;
  base: number;
  /** Epochs drawn: those asked for while it trains (NaN until run), those run afterwards. */
  epochs: number;
  /** Epochs run. */
  done: number;
}

export class TrainCurves {
  segments: Segment[] = [];
  reports: EpochReport[] = [];
  /** The last epoch the x axes reach: what the fits asked for. */
  planned = 0;
  /** The epoch's numbers for the page, put up with the frame that draws the epoch. */
  shown: (() => void) | undefined;
  private readonly cost: Chart;
  private readonly accuracy: Chart;
  private readonly units: Chart;
  private costLayer: PlotLayer | undefined;
  private accuracyLayer: PlotLayer | undefined;
  private unitsLayer: PlotLayer | undefined;
  private frame = 0;

  constructor(private readonly app: App) {
    this.cost = new Chart(byId('cost-chart'), app, 380, 230);
    this.accuracy = new Chart(byId('accuracy-chart'), app, 380, 230);
    this.units = new Chart(byId('hidden-units'), app, 230, 230, { left: 0, right: 0, top: 0, bottom: 0 });
  }

  /** Epochs run by every fit so far. */
  epochsTrained(): number {
    return this.segments.reduce((s, g) => s + g.done, 0);
  }

  /**
   * Line series for every fit so far: one per fit and quantity (history column), as far as the
   * epochs reported — the GPU may have written later ones already; the curves show what the
   * status line says, not more.
   */
  private series(column: number, color: readonly number[]) {
    return this.segments.map((g) => ({ buffer: g.buffer, offset: column, stride: 4, count: Math.max(1, g.done), x0: g.base + 1, dx: 1, color: color as [number, number, number], width: 2 * this.cost.ratio }));
  }

  /** The axes' ranges: every epoch planned; J from 0 to above the largest, accuracy from below the smallest to 1. */
  private ranges(): { x: [number, number]; cost: [number, number]; accuracy: [number, number] } {
    const costs = this.reports.flatMap((r) => [r.cost, r.validation?.cost ?? NaN]).filter(Number.isFinite);
    const accs = this.reports.flatMap((r) => [r.accuracy ?? NaN, r.validation?.accuracy ?? NaN]).filter(Number.isFinite);
    return {
      x: [0, Math.max(this.planned, 1)],
      cost: [0, costs.length ? costs.reduce((a, b) => Math.max(a, b)) * 1.08 : 1],
      accuracy: [accs.length ? Math.max(0, Math.floor(accs.reduce((a, b) => Math.min(a, b)) * 10) / 10 - 0.05) : 0, 1],
    };
  }

  readonly redraw = (): void => {
    this.frame = 0;
    const { x, cost, accuracy } = this.ranges();
    this.cost.drawAxes({ x, y: cost, xLabel: 'epoch', yLabel: 'J/m' });
    this.accuracy.drawAxes({ x, y: accuracy, xLabel: 'epoch', yLabel: 'accuracy' });
    const costSeries = [...this.series(0, COLORS.train), ...this.series(2, COLORS.test)];
    const accSeries = [...this.series(1, COLORS.train), ...this.series(3, COLORS.test)];
    this.costLayer?.destroy();
    this.accuracyLayer?.destroy();
    this.costLayer = costSeries.length ? this.app.plotter.lines({ rect: this.cost.rect, x, y: cost, series: costSeries }) : undefined;
    this.accuracyLayer = accSeries.length ? this.app.plotter.lines({ rect: this.accuracy.rect, x, y: accuracy, series: accSeries }) : undefined;
    this.cost.draw(this.costLayer ? [this.costLayer] : []);
    this.accuracy.draw(this.accuracyLayer ? [this.accuracyLayer] : []);
    this.units.draw(this.unitsLayer ? [this.unitsLayer] : []);
    // The numbers change when the curves do: on the copy path a frame lands a little later.
    const show = this.shown;
    this.shown = undefined;
    if (show) void Promise.all([this.cost.gpu.idle, this.accuracy.gpu.idle]).then(show);
  };

  /** Draws at the next animation frame (once, however often it is asked). */
  schedule(): void {
    this.frame ||= requestAnimationFrame(this.redraw);
  }

  /** Draws what is pending now and waits until its numbers are up (a run's end reads them). */
  async numbersShown(): Promise<void> {
    if (this.frame) {
      cancelAnimationFrame(this.frame);
      this.redraw();
    }
    await Promise.all([this.cost.gpu.idle, this.accuracy.gpu.idle]);
  }

  /** Points the hidden-unit grid at `network`'s Θ⁽¹⁾ (its rows, less the bias column), when it takes the 400 pixels. */
  bindUnits(network: NeuralNetwork | undefined): void {
    this.unitsLayer?.destroy();
    this.unitsLayer = undefined;
    if (!network?.layers || network.layers.length < 3 || network.features !== 400 || network.layers[0] !== 400) return;
    const view = network.weightsView(1);
    this.unitsLayer = this.app.plotter.imageGrid({
      rect: this.units.full, buffer: view.buffer, offset: (view.offset ?? 0) + 1, stride: view.cols,
      tiles: view.rows, side: 20, columns: Math.ceil(Math.sqrt(view.rows)), range: 'per-tile', gap: 2 * this.units.ratio,
    });
  }

  /** Forgets every fit's curves (a new network). */
  clear(): void {
    for (const g of this.segments) g.buffer.destroy();
    this.segments = [];
    this.reports = [];
    this.planned = 0;
  }
}
