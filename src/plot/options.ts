// The plotting API's option types and their checks: rectangles, colours, ranges, and sources
// (a storage buffer and the elements a plot reads). Every layer checks its options here before
// anything changes, and throws ArgumentError naming the option.

import { show } from '../show.js';
import { ArgumentError } from '../gpu/errors.js';
import { BufferUsage } from '../gpu/flags.js';
import { isGpuBuffer } from '../gpu/matrix.js';
import { kinds, optionTable } from '../options.js';

/** A rectangle on the target, in pixels from its top-left corner. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Red, green, blue and (default 1) alpha, each 0…1. */
export type Color = readonly [number, number, number] | readonly [number, number, number, number];

/** Where a plot's values are: element `offset` of `buffer` (float32, STORAGE usage) on. */
export interface Source {
  buffer: GPUBuffer;
  /** Element (float) of the first value. Default 0. */
  offset?: number;
}

export interface LineSeries extends Source {
  /** Points: point i is (x0 + i·dx, values[offset + i·stride]); non-finite values leave a gap. */
  count: number;
  /** Elements between points. Default 1. */
  stride?: number;
  x0?: number;
  dx?: number;
  color: Color;
  /** Pixels. Default 2. */
  width?: number;
}

export interface LinePlotOptions {
  rect: Rect;
  /** Data ranges shown across and up the rectangle. */
  x: readonly [number, number];
  y: readonly [number, number];
  series: readonly LineSeries[];
}

export interface HeatmapOptions extends Source {
  rect: Rect;
  /** rows × cols cells, row 0 at the top (or the bottom with flipY). */
  rows: number;
  cols: number;
  /** Values per cell: 1 (a scalar, coloured from palette[0] at range[0] to its last colour at range[1]) or K class probabilities. Default 1. */
  classes?: number;
  /** Elements between rows. Default cols·classes. */
  stride?: number;
  /** Default [0, 1]. */
  range?: readonly [number, number];
  /** Colours: two or more for a scalar, evenly spaced over the range (default black → white), one per class otherwise (required). */
  palette?: readonly Color[];
  flipY?: boolean;
}

export interface ImageGridOptions extends Source {
  rect: Rect;
  /** Images, each `side` × `side` values, row-major. */
  tiles: number;
  side: number;
  /** Tiles per row of the grid. */
  columns: number;
  /** Elements between tiles. Default side². */
  stride?: number;
  /** Grey range [black, white], or 'per-tile' to scale each tile to its own [min, max]. Default [0, 1]. */
  range?: readonly [number, number] | 'per-tile';
  /** Pixels between tiles. Default 2. */
  gap?: number;
}

export interface EdgesOptions extends Source {
  rect: Rect;
  /** The weight matrix: w(i, j) at element offset + i·stride + j; rows: the units edges go to, cols: those they come from. */
  rows: number;
  cols: number;
  /** Elements between rows. Default cols (a network's Θ⁽ˡ⁾ past its bias column: offset + 1, stride s_l + 1). */
  stride?: number;
  /** Where each unit sits, in pixels from the rectangle's top-left corner: `from` one per column, `to` one per row. */
  from: readonly (readonly [number, number])[];
  to: readonly (readonly [number, number])[];
  /** |w| at which an edge is widest and opaque. Default 1. */
  scale?: number;
  /** The widest edge and the thinnest (w = 0), pixels. Defaults 6 and 0.5. */
  width?: number;
  minWidth?: number;
  /** [negative, positive] weight colours (alpha is the weight's). Default blue, orange. */
  palette?: readonly [Color, Color];
}

/** One series of a line plot, with the plot's rectangle and ranges. */
export interface SeriesOptions {
  rect: Rect;
  x: readonly [number, number];
  y: readonly [number, number];
  series: LineSeries;
}

const F32 = kinds.f32();
export const RECT = kinds.required(kinds.object<Rect>({ x: kinds.required(F32), y: kinds.required(F32), width: kinds.required(F32), height: kinds.required(F32) }));
export const RANGE = kinds.tuple(F32, F32);
const COLOR = kinds.array(kinds.number('a number from 0 to 1', (v) => v >= 0 && v <= 1), 3, 4);
const COUNT = kinds.required(kinds.integer(1, 2 ** 32 - 1));
const STRIDE = kinds.integer(0, 2 ** 32 - 1, ' (elements)');
const SOURCE = { buffer: kinds.required(kinds.buffer), offset: kinds.integer(0, 2 ** 32 - 1, ' (elements)') };
const POINTS = kinds.required(kinds.array(kinds.tuple(F32, F32)));

/** Each plot's options and their kinds (the types make the lists complete); counts against the buffer are the layer's checks. */
export const PLOT_OPTIONS = {
  lines: optionTable<LinePlotOptions>('Plotter.lines options', {
    rect: RECT, x: kinds.required(RANGE), y: kinds.required(RANGE),
    series: kinds.required(kinds.array(kinds.object<LineSeries>({ ...SOURCE, count: COUNT, stride: STRIDE, x0: F32, dx: F32, color: kinds.required(COLOR), width: F32 }))),
  }),
  heatmap: optionTable<HeatmapOptions>('Plotter.heatmap options', {
    rect: RECT, ...SOURCE, rows: COUNT, cols: COUNT, classes: kinds.integer(1, 2 ** 16), stride: STRIDE, range: RANGE, palette: kinds.array(COLOR, 2), flipY: kinds.boolean,
  }),
  imageGrid: optionTable<ImageGridOptions>('Plotter.imageGrid options', {
    rect: RECT, ...SOURCE, tiles: COUNT, side: COUNT, columns: COUNT, stride: STRIDE,
    range: kinds.oneOf("[min, max] or 'per-tile'", RANGE, kinds.choice(['per-tile'])), gap: kinds.f32NonNegative(' (pixels)'),
  }),
  edges: optionTable<EdgesOptions>('Plotter.edges options', {
    rect: RECT, ...SOURCE, rows: COUNT, cols: COUNT, stride: STRIDE, from: POINTS, to: POINTS,
    scale: kinds.f32Positive(), width: kinds.f32NonNegative(' (pixels)'), minWidth: kinds.f32NonNegative(' (pixels)'), palette: kinds.tuple(COLOR, COLOR),
  }),
};

/** Something a Plotter draws: built once, redrawn every frame. */
export interface PlotLayer {
  readonly rect: Rect;
  /** Records the layer's draws into `pass`, whose target is `width` × `height` pixels. */
  encode(pass: GPURenderPassEncoder, width: number, height: number): void;
  destroy(): void;
}

/** A rectangle's kinds are checked by each plot's table; here, that it has an area. */
export function checkRect(name: string, r: Rect): Rect {
  if (!(r.width > 0 && r.height > 0)) throw new ArgumentError(name, `must have a width and height > 0, got ${r.width} × ${r.height}`);
  return r;
}

export function checkColor(name: string, c: Color): [number, number, number, number] {
  if (!Array.isArray(c) || (c.length !== 3 && c.length !== 4) || !c.every((v) => typeof v === 'number' && v >= 0 && v <= 1)) {
    throw new ArgumentError(name, `must be [r, g, b] or [r, g, b, a], each 0…1, got ${show(c)}`);
  }
  return [c[0], c[1], c[2], c[3] ?? 1];
}

/** Checks that `buffer` is a storage buffer holding element `last` (the highest one read). */
export function checkSource(name: string, buffer: GPUBuffer, last: number): void {
  if (!isGpuBuffer(buffer) || !(buffer.usage & BufferUsage.STORAGE)) {
    throw new ArgumentError(`${name}.buffer`, 'must be a GPUBuffer with STORAGE usage');
  }
  if ((last + 1) * 4 > buffer.size) {
    throw new ArgumentError(`${name}.buffer`, `holds ${buffer.size / 4} floats, but the plot reads element ${last}`);
  }
}

/** The part of `r` on a width × height target, in whole pixels (null when none of it is). */
export function scissor(r: Rect, width: number, height: number): [number, number, number, number] | null {
  const x0 = Math.max(0, Math.floor(r.x));
  const y0 = Math.max(0, Math.floor(r.y));
  const x1 = Math.min(width, Math.ceil(r.x + r.width));
  const y1 = Math.min(height, Math.ceil(r.y + r.height));
  return x1 > x0 && y1 > y0 ? [x0, y0, x1 - x0, y1 - y0] : null;
}
