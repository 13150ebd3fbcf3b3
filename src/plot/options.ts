// The plotting API's option types and their checks: rectangles, colours, ranges, and sources
// (a storage buffer and the elements a plot reads). Every layer checks its options here before
// anything changes, and throws ArgumentError naming the option.

import { ArgumentError } from '../gpu/errors.js';
import { BufferUsage } from '../gpu/flags.js';
import { isGpuBuffer } from '../gpu/matrix.js';
import { checkKeys } from '../keys.js';
import { isF32 } from '../gpu/f32.js';

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

/** The option names of each plot (the types make the lists complete). */
export const OPTION_KEYS = {
  lines: Object.keys({ rect: 1, x: 1, y: 1, series: 1 } satisfies Record<keyof LinePlotOptions, 1>),
  series: Object.keys({ buffer: 1, offset: 1, count: 1, stride: 1, x0: 1, dx: 1, color: 1, width: 1 } satisfies Record<keyof LineSeries, 1>),
  heatmap: Object.keys({ rect: 1, buffer: 1, offset: 1, rows: 1, cols: 1, classes: 1, stride: 1, range: 1, palette: 1, flipY: 1 } satisfies Record<keyof HeatmapOptions, 1>),
  imageGrid: Object.keys({ rect: 1, buffer: 1, offset: 1, tiles: 1, side: 1, columns: 1, stride: 1, range: 1, gap: 1 } satisfies Record<keyof ImageGridOptions, 1>),
  edges: Object.keys({ rect: 1, buffer: 1, offset: 1, rows: 1, cols: 1, stride: 1, from: 1, to: 1, scale: 1, width: 1, minWidth: 1, palette: 1 } satisfies Record<keyof EdgesOptions, 1>),
};

/** Something a Plotter draws: built once, redrawn every frame. */
export interface PlotLayer {
  readonly rect: Rect;
  /** Records the layer's draws into `pass`, whose target is `width` × `height` pixels. */
  encode(pass: GPURenderPassEncoder, width: number, height: number): void;
  destroy(): void;
}

export function finite(name: string, v: unknown): number {
  if (!isF32(v)) throw new ArgumentError(name, `must be a number finite in float32, got ${String(v)}`);
  return v;
}

export function checkRect(name: string, r: Rect): Rect {
  if (!r || typeof r !== 'object') throw new ArgumentError(name, 'must be { x, y, width, height } in pixels');
  checkKeys(name, r, ['x', 'y', 'width', 'height']);
  for (const k of ['x', 'y', 'width', 'height'] as const) finite(`${name}.${k}`, r[k]);
  if (!(r.width > 0 && r.height > 0)) throw new ArgumentError(name, `must have a width and height > 0, got ${r.width} × ${r.height}`);
  return r;
}

export function checkRange(name: string, r: readonly [number, number]): readonly [number, number] {
  if (!Array.isArray(r) || r.length !== 2) throw new ArgumentError(name, `must be [min, max], got ${String(r)}`);
  finite(`${name}[0]`, r[0]);
  finite(`${name}[1]`, r[1]);
  return r;
}

export function checkColor(name: string, c: Color): [number, number, number, number] {
  if (!Array.isArray(c) || (c.length !== 3 && c.length !== 4) || !c.every((v) => typeof v === 'number' && v >= 0 && v <= 1)) {
    throw new ArgumentError(name, `must be [r, g, b] or [r, g, b, a], each 0…1, got ${JSON.stringify(c)}`);
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
