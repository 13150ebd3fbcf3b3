// The plot shaders (shaders/plot/) rendered into a texture and read back pixel by pixel: each
// expected pixel is worked out from the data → pixel mapping by hand, not taken from a run.
// Line series (NaN gaps, clipping to the plot's rectangle, a single point), heat maps (scalar
// ramp, NaN, clamping, flipped rows, class blends, 1×1) and image grids (layout, gaps, per-tile
// and fixed ranges, offset and stride past a bias column), network edges (thickness, opacity and
// colour from the weights, NaN), and bad options.

import type { GpuContext } from '../../src/gpu/context.js';
import { ArgumentError } from '../../src/gpu/errors.js';
import { BufferUsage, TextureUsage } from '../../src/gpu/flags.js';
import type { PlotLayer } from '../../src/plot/options.js';
import { Plotter } from '../../src/plot/plotter.js';
import { check, expectError } from '../support/compare.js';
import { GUARD, type GpuCase } from '../support/gpu.js';

type Pixel = [number, number, number, number];

/** Renders `layers` into a fresh width × height rgba8unorm texture and returns its pixels. */
async function renderPixels(ctx: GpuContext, plotter: Plotter, width: number, height: number, layers: PlotLayer[]): Promise<(x: number, y: number) => Pixel> {
  const texture = ctx.device.createTexture({
    label: 'test plot target', size: [width, height], format: 'rgba8unorm', usage: TextureUsage.RENDER_ATTACHMENT | TextureUsage.COPY_SRC,
  });
  const bytesPerRow = Math.ceil((width * 4) / 256) * 256;
  const out = ctx.createBuffer('test plot pixels', bytesPerRow * height, BufferUsage.COPY_SRC | BufferUsage.COPY_DST);
  try {
    plotter.render(texture, layers);
    await ctx.submit('test plot copy', (enc) => enc.copyTextureToBuffer({ texture }, { buffer: out, bytesPerRow }, [width, height]));
    const bytes = new Uint8Array((await ctx.read(out)).buffer);
    return (x, y) => Array.from(bytes.subarray(y * bytesPerRow + 4 * x, y * bytesPerRow + 4 * x + 4)) as Pixel;
  } finally {
    ctx.release(out);
    texture.destroy();
  }
}

function expectPixel(at: (x: number, y: number) => Pixel, x: number, y: number, want: Pixel, what: string, tolerance = 1): void {
  const got = at(x, y);
  check(got.every((v, i) => Math.abs(v - want[i]!) <= tolerance), `${what}: pixel (${x}, ${y}) is [${got}], want [${want}]`);
}

/** Runs `body` with a plotter for rgba8unorm targets, then frees what its layers made. */
async function withPlotter(gpu: { ctx: GpuContext }, body: (plotter: Plotter) => Promise<void>): Promise<void> {
  const plotter = new Plotter(gpu.ctx, 'rgba8unorm');
  try {
    await body(plotter);
  } finally {
    plotter.destroy();
  }
}

const CLEAR: Pixel = [0, 0, 0, 0];
const grey = (t: number): Pixel => [Math.round(255 * t), Math.round(255 * t), Math.round(255 * t), 255];

const cases: GpuCase[] = [
  {
    name: 'plot lines: points land where the data map, NaN leaves a gap, the rectangle clips, one point is a dot',
    run: (gpu) =>
      withPlotter(gpu, async (plotter) => {
      // Rectangle x 8…56, y 4…44; x range [0, 4] → 12 px per unit, y range [0, 1] → 40 px.
      const red = gpu.vector('red', [0, 1, 1, NaN, 0.5], { offset: 3, tail: 2 });
      const green = gpu.vector('green', [0, 3]);
      const blue = gpu.vector('blue', [0.5]);
      const layer = plotter.lines({
        rect: { x: 8, y: 4, width: 48, height: 40 }, x: [0, 4], y: [0, 1],
        series: [
          { buffer: red.buffer, offset: red.offset, count: 5, color: [1, 0, 0], width: 3 },
          { buffer: green.buffer, count: 2, dx: 4, color: [0, 1, 0], width: 3 },
          { buffer: blue.buffer, count: 1, x0: 2, color: [0, 0, 1], width: 4 },
        ],
      });
      const at = await renderPixels(gpu.ctx, plotter, 64, 48, [layer]);
      expectPixel(at, 26, 4, [255, 0, 0, 255], 'red (1, 1)–(2, 1) along the top'); // y = 4
      expectPixel(at, 12, 27, [255, 0, 0, 255], 'red (0, 0)–(1, 1)'); // x = 12.95 at y = 27.5
      expectPixel(at, 44, 14, CLEAR, 'red (2, 1)–(4, 0.5): dropped, point 3 is NaN');
      expectPixel(at, 19, 14, [0, 255, 0, 255], 'green (0, 0)–(4, 3) inside the rectangle');
      expectPixel(at, 24, 2, CLEAR, 'green above the rectangle: clipped');
      expectPixel(at, 32, 24, [0, 0, 255, 255], 'blue single point (2, 0.5)');
      expectPixel(at, 60, 44, CLEAR, 'background');
      // Ranges change by update(), with no new pipeline: y range [0, 2] moves (1, 1)–(2, 1) to y = 24.
      layer.update({ y: [0, 2] });
      const moved = await renderPixels(gpu.ctx, plotter, 64, 48, [layer]);
      expectPixel(moved, 26, 24, [255, 0, 0, 255], 'red after update');
      expectPixel(moved, 26, 4, CLEAR, 'red no longer at the top');
      }),
  },
  {
    name: 'plot heatmap: cells take their value’s colour (ramp, NaN clear, clamped), flipY, class blends, 1×1',
    run: (gpu) =>
      withPlotter(gpu, async (plotter) => {
      // 2 × 3 cells of 10 × 10 px; rows 3 elements apart after one guard element.
      const values = gpu.vector('heat', [0, 0.5, 1, 0.25, NaN, 2], { offset: 1, tail: 1 });
      const layer = plotter.heatmap({ rect: { x: 0, y: 0, width: 30, height: 20 }, buffer: values.buffer, offset: 1, rows: 2, cols: 3 });
      let at = await renderPixels(gpu.ctx, plotter, 30, 20, [layer]);
      const want = [[0, 0.5, 1], [0.25, NaN, 1]];
      for (let r = 0; r < 2; r++) {
        for (let c = 0; c < 3; c++) {
          const t = want[r]![c]!;
          expectPixel(at, 10 * c + 5, 10 * r + 5, Number.isNaN(t) ? CLEAR : grey(t), `cell (${r}, ${c})`);
        }
      }
      layer.update({ flipY: true, palette: [[0, 0, 1], [1, 0, 0]] });
      at = await renderPixels(gpu.ctx, plotter, 30, 20, [layer]);
      expectPixel(at, 5, 15, [0, 0, 255, 255], 'flipped: row 0 at the bottom, 0 → palette[0]');
      expectPixel(at, 25, 15, [255, 0, 0, 255], 'flipped: 1 → palette[1]');
      expectPixel(at, 15, 15, [128, 0, 128, 255], 'flipped: 0.5 halfway');
      // Three stops: blue at 0, white at 0.5, red at 1; 0.25 halfway from blue to white.
      layer.update({ flipY: false, palette: [[0, 0, 1], [1, 1, 1], [1, 0, 0]] });
      at = await renderPixels(gpu.ctx, plotter, 30, 20, [layer]);
      expectPixel(at, 5, 5, [0, 0, 255, 255], 'three stops: 0 → the first');
      expectPixel(at, 15, 5, [255, 255, 255, 255], 'three stops: 0.5 → the middle one');
      expectPixel(at, 25, 5, [255, 0, 0, 255], 'three stops: 1 → the last');
      expectPixel(at, 5, 15, [128, 128, 255, 255], 'three stops: 0.25 halfway from the first to the middle');
      const probs = gpu.vector('probabilities', [1, 0, 0, 0.2, 0.3, 0.5]);
      const classes = plotter.heatmap({ rect: { x: 0, y: 0, width: 20, height: 10 }, buffer: probs.buffer, rows: 1, cols: 2, classes: 3, palette: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] });
      at = await renderPixels(gpu.ctx, plotter, 20, 10, [classes]);
      expectPixel(at, 5, 5, [255, 0, 0, 255], 'class 0 certain');
      expectPixel(at, 15, 5, [51, 77, 128, 255], 'a 0.2 / 0.3 / 0.5 blend');
      const one = gpu.vector('one', [0.75]);
      const single = plotter.heatmap({ rect: { x: 2, y: 2, width: 5, height: 5 }, buffer: one.buffer, rows: 1, cols: 1 });
      at = await renderPixels(gpu.ctx, plotter, 9, 9, [single]);
      expectPixel(at, 2, 2, grey(0.75), '1×1 top-left');
      expectPixel(at, 6, 6, grey(0.75), '1×1 bottom-right');
      expectPixel(at, 7, 7, CLEAR, 'outside the 1×1 rectangle');
      }),
  },
  {
    name: 'plot image grid: tiles in columns with gaps, per-tile and fixed grey ranges, past a bias column',
    run: (gpu) =>
      withPlotter(gpu, async (plotter) => {
      // Three 2 × 2 tiles, each after a "bias" element (offset 1, stride 5), two columns, gap 2:
      // tiles are min((40 − 2)/2, (20 − 2)/2) = 9 px, at x 0 and 11, y 0 and 11.
      const tiles = [[0, 1, 2, 3], [5, 5, 5, 5], [-1, 1, 0, 0]];
      const data = gpu.vector('tiles', tiles.flatMap((t) => [GUARD, ...t]));
      const layer = plotter.imageGrid({ rect: { x: 0, y: 0, width: 40, height: 20 }, buffer: data.buffer, offset: 1, stride: 5, tiles: 3, side: 2, columns: 2, range: 'per-tile' });
      let at = await renderPixels(gpu.ctx, plotter, 40, 20, [layer]);
      const corners = [[2, 2], [6, 2], [2, 6], [6, 6]] as const; // pixels (r, c) = (0, 0), (0, 1), (1, 0), (1, 1)
      const origins = [[0, 0], [11, 0], [0, 11]] as const;
      const perTile = [[0, 1 / 3, 2 / 3, 1], [0.5, 0.5, 0.5, 0.5], [0, 1, 0.5, 0.5]];
      tiles.forEach((_, t) =>
        corners.forEach(([x, y], p) => expectPixel(at, origins[t]![0] + x, origins[t]![1] + y, grey(perTile[t]![p]!), `tile ${t} pixel ${p}, per tile`)),
      );
      expectPixel(at, 10, 5, CLEAR, 'the gap between tiles');
      expectPixel(at, 15, 15, CLEAR, 'no fourth tile');
      layer.update({ range: [0, 3] });
      at = await renderPixels(gpu.ctx, plotter, 40, 20, [layer]);
      const fixed = [[0, 1 / 3, 2 / 3, 1], [1, 1, 1, 1], [0, 1 / 3, 0, 0]];
      tiles.forEach((_, t) =>
        corners.forEach(([x, y], p) => expectPixel(at, origins[t]![0] + x, origins[t]![1] + y, grey(fixed[t]![p]!), `tile ${t} pixel ${p}, range [0, 3]`)),
      );
      }),
  },
  {
    name: 'plot edges: from column unit to row unit, thickness and opacity from |w|, colour from its sign, NaN drawn not at all',
    run: (gpu) =>
      withPlotter(gpu, async (plotter) => {
      // Θ-like rows [bias, w₀, w₁]: the layer reads past the bias column (offset 1, stride 3).
      const theta = gpu.vector('theta', [GUARD, 1, -0.5, GUARD, 0, NaN]);
      const layer = plotter.edges({
        rect: { x: 0, y: 0, width: 40, height: 20 }, buffer: theta.buffer, offset: 1, stride: 3, rows: 2, cols: 2,
        from: [[5, 5], [5, 15]], to: [[35, 5], [35, 15]], scale: 1, width: 6, minWidth: 2, palette: [[0, 0, 1], [1, 0, 0]],
      });
      let at = await renderPixels(gpu.ctx, plotter, 40, 20, [layer]);
      expectPixel(at, 20, 5, [255, 0, 0, 255], 'w(0, 0) = 1: from (5, 5) to (35, 5), positive, opaque');
      expectPixel(at, 20, 2, [255, 0, 0, 255], 'w(0, 0) = 1 is 6 px wide (y 2 … 8)');
      expectPixel(at, 20, 1, CLEAR, 'and no wider');
      expectPixel(at, 11, 13, [0, 0, 159, 159], 'w(0, 1) = −0.5: from (5, 15) to (35, 5), negative, alpha 0.25 + 0.75·0.5');
      expectPixel(at, 29, 13, [64, 0, 0, 64], 'w(1, 0) = 0: from (5, 5) to (35, 15), the thinnest, alpha 0.25');
      expectPixel(at, 20, 15, CLEAR, 'w(1, 1) = NaN: no edge');
      layer.update({ scale: 2, rect: { x: 0, y: 2, width: 40, height: 20 } });
      at = await renderPixels(gpu.ctx, plotter, 40, 24, [layer]);
      expectPixel(at, 20, 7, [159, 0, 0, 159], 'scale 2: w = 1 is half strength; positions follow the rectangle');
      expectPixel(at, 20, 3, CLEAR, 'half strength is 4 px wide (y 5 … 9)');
      }),
  },
  {
    name: 'plot bad options: counts, short buffers, missing palettes, rectangles — ArgumentError naming each',
    run: (gpu) =>
      withPlotter(gpu, async (plotter) => {
      const v = gpu.vector('v', [1, 2, 3, 4]);
      const rect = { x: 0, y: 0, width: 10, height: 10 };
      const bad: [() => unknown, string[]][] = [
        [() => plotter.lines({ rect, x: [0, 1], y: [0, 1], series: [{ buffer: v.buffer, count: 0, color: [1, 0, 0] }] }), ['options.series[0].count', 'an integer from 1']],
        [() => plotter.lines({ rect, x: [0, 1], y: [0, 1], series: [{ buffer: v.buffer, count: 3, stride: 2, color: [1, 0, 0] }] }), ['options.series[0].buffer', 'element 4']],
        [() => plotter.lines({ rect, x: [0, NaN], y: [0, 1], series: [] }), ['options.x[1]']],
        [() => plotter.lines({ rect: { ...rect, width: 0 }, x: [0, 1], y: [0, 1], series: [] }), ['options.rect', 'width']],
        [() => plotter.lines({ rect, x: [0, 1], y: [0, 1], series: [{ buffer: v.buffer, count: 2, color: [2, 0, 0] }] }), ['options.series[0].color']],
        [() => plotter.heatmap({ rect, buffer: v.buffer, rows: 1, cols: 2, classes: 2 }), ['options.palette', '2 classes']],
        [() => plotter.heatmap({ rect, buffer: v.buffer, rows: 3, cols: 2 }), ['options.buffer', 'element 5']],
        [() => plotter.imageGrid({ rect, buffer: v.buffer, tiles: 2, side: 2, columns: 1 }), ['options.buffer', 'element 7']],
        [() => plotter.imageGrid({ rect, buffer: v.buffer, tiles: 1, side: 2, columns: 0 }), ['options.columns']],
        [() => plotter.edges({ rect, buffer: v.buffer, rows: 2, cols: 2, from: [[0, 0]], to: [[1, 1], [1, 2]] }), ['options.from', '2 points']],
        [() => plotter.edges({ rect, buffer: v.buffer, rows: 2, cols: 2, stride: 3, from: [[0, 0], [0, 1]], to: [[1, 1], [1, 2]] }), ['options.buffer', 'element 4']],
        [() => plotter.edges({ rect, buffer: v.buffer, rows: 1, cols: 2, from: [[0, 0], [0, NaN]], to: [[1, 1]] }), ['options.from[1][1]']],
        [() => plotter.edges({ rect, buffer: v.buffer, rows: 1, cols: 2, from: [[0, 0], [0, 1]], to: [[1, 1]], width: 1, minWidth: 2 }), ['options.width', 'minWidth']],
        [() => plotter.edges({ rect, buffer: v.buffer, rows: 1, cols: 2, from: [[0, 0], [0, 1]], to: [[1, 1]], scale: 0 }), ['options.scale', '> 0']],
      ];
      for (const [fn, parts] of bad) await expectError(fn, ArgumentError, parts);
      }),
  },
];

export const plotCases = cases;
