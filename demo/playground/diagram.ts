// The playground's network diagram: a column of units per layer — the inputs x₁, x₂, each
// hidden unit, the output — every unit drawn as a small map of its output over the plane,
// and the weights Θ⁽ˡ⁾ as the edges between them (thickness |w|, colour its sign). All of it
// is drawn by the GPU from buffers: the grid of points itself (the inputs), what
// network.hiddenInto() and predictInto() wrote (hidden units, output), and network.weightsView()
// (the edges) — the very buffer training updates. Nothing is read back to draw it.

import type { ActivationName, NeuralNetwork } from '../../src/index.js';
import { ACTIVATIONS, BufferUsage } from '../../src/index.js';
import type { PlotLayer } from '../../src/plot/index.js';
import type { App } from '../app.js';
import { pageBuffer } from '../buffers.js';
import { Chart } from '../chart.js';
import { BLUE, GRID, ORANGE } from '../plane-grid.js';

export const MAX_UNITS = 8;
const MAP = 44;
const GAP = 10;
const COLUMN = 118;
const TOP = 30;
/** Room on the left for the inputs' names (sin x₁ …). */
const LEFT = 44;

const WHITE = [0.97, 0.97, 0.97] as const;

/**
 * What a hidden unit's outputs span, for its map's colour ramp (values past the ends take the end
 * colour): the activation's asymptotes, or ±2 where it has none. An activation not named here —
 * one added to the registry — gets g(−4) … g(4) from its float64 reference: the page needs no
 * line per activation.
 */
const RANGE: Partial<Record<ActivationName, [number, number]>> = { sigmoid: [0, 1], tanh: [-1, 1], relu: [0, 2], identity: [-2, 2] };
function rangeOf(g: ActivationName): [number, number] {
  const value = ACTIVATIONS[g].reference.value;
  return RANGE[g] ?? [Math.min(value(-4), value(4)), Math.max(value(-4), value(4))];
}

/** The square every map covers: the grid of points the network is evaluated on spans it. */
export const SQUARE = [-1, 1] as const;

/** A unit's map on the diagram, in CSS pixels (for the page's tests and hover). */
export interface UnitBox {
  layer: number;
  unit: number;
  x: number;
  y: number;
  size: number;
}

export class NetworkDiagram {
  chart: Chart;
  /** The hidden layers' outputs over the grid, one buffer per layer, unit j in row j (hiddenInto). */
  private hidden: GPUBuffer[] = [];
  private layers: PlotLayer[] = [];
  /** Units in the network's widest column: the diagram's height. */
  private tallest = 2;
  boxes: UnitBox[] = [];

  constructor(
    private readonly app: App,
    private readonly container: HTMLElement,
    /** The grid's points on the GPU as rows of their features (./features.ts), what the network is evaluated on. */
    private readonly grid: GPUBuffer,
    /** Each feature over the grid, one map after the other (featureMaps): the input units' maps. */
    private readonly inputs: GPUBuffer,
    /** The network's output over the grid (predictInto): P(class 1), or both classes' probabilities. */
    private readonly output: () => { buffer: GPUBuffer; classes: number },
  ) {
    this.chart = this.sized([2, 1]);
  }

  /** A chart as wide and as tall as a network of these layers needs (the one before is freed). */
  private sized(sizes: readonly number[]): Chart {
    this.tallest = sizes.slice(0, -1).reduce((a, b) => Math.max(a, b), 2);
    this.chart?.destroy();
    return new Chart(this.container, this.app, LEFT + (sizes.length - 1) * COLUMN + MAP + 24, TOP + this.tallest * (MAP + GAP) + 4, { left: 0, right: 0, top: 0, bottom: 0 });
  }

  /** Where unit `unit` of column `col` (0: inputs) of a column of `count` units sits. */
  private box(col: number, unit: number, count: number): { x: number; y: number } {
    const height = this.tallest * (MAP + GAP);
    return { x: LEFT + col * COLUMN, y: TOP + (height - count * (MAP + GAP)) / 2 + unit * (MAP + GAP) };
  }

  /** The inputs' names (x₁, x₂ and the features switched on). */
  private names: readonly string[] = ['x₁', 'x₂'];

  /** Builds the maps and edges of `net` (its layers [inputs, …hidden, K]) on inputs `names`; frees those of the last one. */
  build(net: NeuralNetwork, activations: readonly ActivationName[], names: readonly string[]): void {
    this.names = names;
    this.destroyLayers();
    const sizes = net.layers!;
    this.chart = this.sized(sizes);
    const { app, chart } = this;
    const r = chart.ratio;
    const columns = sizes.length;
    const counts = sizes.map((s, l) => (l === columns - 1 ? 1 : s));
    const rect = (col: number, unit: number) => {
      const b = this.box(col, unit, counts[col]!);
      return { x: b.x * r, y: b.y * r, width: MAP * r, height: MAP * r };
    };
    this.boxes = counts.flatMap((n, col) => Array.from({ length: n }, (_, unit) => ({ layer: col + 1, unit, ...this.box(col, unit, n), size: MAP })));
    const ramp = (range: readonly [number, number], buffer: GPUBuffer, offset: number, stride: number, at: ReturnType<typeof rect>) =>
      app.plotter.heatmap({ rect: at, buffer, offset, stride, rows: GRID, cols: GRID, flipY: true, range, palette: [[...BLUE, 1], [...WHITE, 1], [...ORANGE, 1]] });
    // Edges first, so the maps sit on top of their ends.
    const full = { x: 0, y: 0, width: chart.width * r, height: chart.height * r };
    for (let l = 1; l < columns; l++) {
      const w = net.weightsView(l);
      const from = Array.from({ length: counts[l - 1]! }, (_, j) => { const b = this.box(l - 1, j, counts[l - 1]!); return [(b.x + MAP) * r, (b.y + MAP / 2) * r] as [number, number]; });
      const toCount = l === columns - 1 ? w.rows : counts[l]!;
      const to = Array.from({ length: toCount }, (_, i) => { const b = this.box(l, l === columns - 1 ? 0 : i, counts[l]!); return [b.x * r, (b.y + MAP / 2) * r] as [number, number]; });
      this.layers.push(app.plotter.edges({
        rect: full, buffer: w.buffer, offset: (w.offset ?? 0) + 1, stride: w.stride ?? w.cols, rows: w.rows, cols: w.cols - 1,
        from, to, scale: 2, width: 5 * r, minWidth: 0.5 * r,
      }));
    }
    for (let i = 0; i < sizes[0]!; i++) this.layers.push(ramp([-1, 1], this.inputs, i * GRID * GRID, GRID, rect(0, i)));
    this.hidden = sizes.slice(1, -1).map((s, l) => pageBuffer(app.ctx, `playground hidden layer ${l + 2}`, s * GRID * GRID * 4, BufferUsage.STORAGE | BufferUsage.COPY_DST));
    this.hidden.forEach((buffer, l) => {
      for (let j = 0; j < sizes[l + 1]!; j++) this.layers.push(ramp(rangeOf(activations[l]!), buffer, j * GRID * GRID, GRID, rect(l + 1, j)));
    });
    const out = this.output();
    const last = rect(columns - 1, 0);
    this.layers.push(out.classes === 1
      ? ramp([0, 1], out.buffer, 0, GRID, last)
      : app.plotter.heatmap({ rect: last, buffer: out.buffer, rows: GRID, cols: GRID, classes: 2, flipY: true, palette: [[...BLUE, 1], [...ORANGE, 1]] }));
    this.labels(sizes, activations, counts);
  }

  private labels(sizes: readonly number[], activations: readonly ActivationName[], counts: number[]): void {
    const g = this.chart.overlay;
    this.chart.clearOverlay();
    g.font = '12px system-ui, sans-serif';
    g.fillStyle = '#333';
    g.textAlign = 'center';
    counts.forEach((_, col) => {
      const x = this.box(col, 0, 1).x + MAP / 2;
      const title = col === 0 ? 'inputs' : col === sizes.length - 1 ? `output` : `layer ${col + 1}`;
      const sub = col === 0 ? `${sizes[0]} features` : col === sizes.length - 1 ? (sizes.at(-1) === 1 ? 'σ: P(y = 1)' : 'softmax') : `${sizes[col]} × ${activations[col - 1]}`;
      g.fillText(title, x, 12);
      g.fillStyle = '#666';
      g.fillText(sub, x, 25);
      g.fillStyle = '#333';
    });
    g.textAlign = 'right';
    for (const [i, name] of this.names.entries()) {
      const b = this.box(0, i, this.names.length);
      g.fillText(name, b.x - 4, b.y + MAP / 2 + 4);
    }
  }

  /** Writes every hidden layer's outputs over the grid into its buffer (on the GPU), from one forward pass. */
  async evaluate(net: NeuralNetwork): Promise<void> {
    if (this.hidden.length === 0) return;
    await net.hiddenInto({ buffer: this.grid, rows: GRID * GRID, cols: this.names.length }, this.hidden.map((buffer, l) => ({ layer: l + 2, buffer })));
  }

  draw(): void {
    this.chart.draw(this.layers);
  }

  private destroyLayers(): void {
    for (const layer of this.layers) layer.destroy();
    for (const b of this.hidden) b.destroy();
    this.layers = [];
    this.hidden = [];
  }

  destroy(): void {
    this.destroyLayers();
    this.chart.destroy();
  }
}
