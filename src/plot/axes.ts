// Axes, ticks and labels for the GPU plots, as 2-D canvas text: drawn on a canvas placed under
// the transparent WebGPU canvas the data are drawn on, in the same pixel coordinates.

import { ArgumentError } from '../gpu/errors.js';
import { checkOptions, kinds, optionTable } from '../options.js';
import { RANGE, RECT, type Rect } from './options.js';

/**
 * About `count` round tick values (steps of 1, 2 or 5 × 10ⁿ) covering [min, max]; the ends are
 * included only when they fall on a step.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(Number.isInteger(count) && count >= 1 && count <= MAX_TICKS)) throw new ArgumentError('count', `must be an integer from 1 to ${MAX_TICKS}, got ${String(count)}`);
  if (!(Number.isFinite(min) && Number.isFinite(max))) return [];
  if (min === max) return [min];
  const [lo, hi] = min < max ? [min, max] : [max, min];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

/** A tick value as short text: no trailing zeros, exponent form for very large or small values. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1).replace('.0e', 'e');
  return String(Number(v.toPrecision(4)));
}

export interface AxesOptions {
  rect: Rect;
  x: readonly [number, number];
  y: readonly [number, number];
  xLabel?: string;
  yLabel?: string;
  /** Tick count asked of niceTicks. Default 5 across, 4 up. */
  xTicks?: number;
  yTicks?: number;
  /** Light grid lines at the ticks. Default true. */
  grid?: boolean;
  /** Default '#555'. */
  color?: string;
}

const MAX_TICKS = 1000;
const TICKS = kinds.integer(1, MAX_TICKS);
const AXES_OPTIONS = optionTable<AxesOptions>('drawAxes options', {
  rect: RECT, x: kinds.required(RANGE), y: kinds.required(RANGE), xLabel: kinds.text, yLabel: kinds.text, xTicks: TICKS, yTicks: TICKS, grid: kinds.boolean, color: kinds.text,
});

/** Clears `g`'s canvas and draws the frame, ticks, tick labels and axis labels around `rect`. */
export function drawAxes(g: CanvasRenderingContext2D, o: AxesOptions): void {
  checkOptions('options', o, AXES_OPTIONS);
  const { rect: r } = o;
  const color = o.color ?? '#555';
  const px = (x: number) => r.x + ((x - o.x[0]) / (o.x[1] - o.x[0])) * r.width;
  const py = (y: number) => r.y + r.height - ((y - o.y[0]) / (o.y[1] - o.y[0])) * r.height;
  g.clearRect(0, 0, g.canvas.width, g.canvas.height);
  g.font = '11px system-ui, sans-serif';
  g.lineWidth = 1;
  const xs = niceTicks(o.x[0], o.x[1], o.xTicks ?? 5);
  const ys = niceTicks(o.y[0], o.y[1], o.yTicks ?? 4);
  if (o.grid ?? true) {
    g.strokeStyle = 'rgba(0, 0, 0, 0.08)';
    g.beginPath();
    for (const x of xs) {
      g.moveTo(Math.round(px(x)) + 0.5, r.y);
      g.lineTo(Math.round(px(x)) + 0.5, r.y + r.height);
    }
    for (const y of ys) {
      g.moveTo(r.x, Math.round(py(y)) + 0.5);
      g.lineTo(r.x + r.width, Math.round(py(y)) + 0.5);
    }
    g.stroke();
  }
  g.strokeStyle = color;
  g.strokeRect(r.x + 0.5, r.y + 0.5, r.width - 1, r.height - 1);
  g.fillStyle = color;
  g.textAlign = 'center';
  g.textBaseline = 'top';
  for (const x of xs) g.fillText(formatTick(x), px(x), r.y + r.height + 4);
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  for (const y of ys) g.fillText(formatTick(y), r.x - 4, py(y));
  if (o.xLabel) {
    g.textAlign = 'center';
    g.textBaseline = 'top';
    g.fillText(o.xLabel, r.x + r.width / 2, r.y + r.height + 18);
  }
  if (o.yLabel) {
    g.save();
    g.translate(10, r.y + r.height / 2);
    g.rotate(-Math.PI / 2);
    g.textAlign = 'center';
    g.textBaseline = 'top';
    g.fillText(o.yLabel, 0, -6);
    g.restore();
  }
}
