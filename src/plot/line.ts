// Line series from a buffer (shaders/plot/line.wgsl): point i = (x₀ + i·dx, values[offset +
// i·stride]), non-finite values leaving a gap — a cost history as the trainer writes it. One
// single-draw layer per series, kept across updates.

import { type LayerHost, type UpdatableLayer, singleDrawLayer, updatableLayer } from './layer.js';
import { checkOptions } from '../options.js';
import { type LinePlotOptions, PLOT_OPTIONS, type SeriesOptions, checkColor, checkRect, checkSource } from './options.js';

/** Line series over shared x and y ranges; `update` changes ranges, counts or colours. */
export function linePlot(host: LayerHost, options: LinePlotOptions): UpdatableLayer<LinePlotOptions> {
  let parts: UpdatableLayer<SeriesOptions>[] = [];
  const build = (o: LinePlotOptions) => {
    checkOptions('options', o, PLOT_OPTIONS.lines);
    checkRect('options.rect', o.rect);
    // Every series is checked before any layer changes.
    o.series.forEach((s, i) => checkSource(`options.series[${i}]`, s.buffer, (s.offset ?? 0) + (s.count - 1) * (s.stride ?? 1)));
    const each = o.series.map((series): SeriesOptions => ({ rect: o.rect, x: o.x, y: o.y, series }));
    each.forEach((e, i) => (parts[i] ? parts[i].update(e) : (parts[i] = seriesLayer(host, e))));
    for (const p of parts.splice(each.length)) p.destroy();
  };
  return updatableLayer(options, build, {
    encode: (_, pass, width, height) => {
      for (const p of parts) p.encode(pass, width, height);
    },
    destroy: () => {
      for (const p of parts.splice(0)) p.destroy();
      parts = [];
    },
  });
}

/** One series (checked by linePlot): its own uniform, redrawn with the plot's ranges. */
function seriesLayer(host: LayerHost, options: SeriesOptions): UpdatableLayer<SeriesOptions> {
  let bound: GPUBuffer | undefined;
  return singleDrawLayer(host, 'line', options, {
    check: () => {},
    bind: (o, params) => {
      if (bound === o.series.buffer) return undefined;
      bound = o.series.buffer;
      return { values: o.series.buffer, params };
    },
    uniforms: ({ x, y, series: s }) => {
      const [red, green, blue, alpha] = checkColor('color', s.color);
      return {
        x_min: x[0], x_max: x[1], y_min: y[0], y_max: y[1], x0: s.x0 ?? 0, dx: s.dx ?? 1, width: s.width ?? 2,
        red, green, blue, alpha, offset: s.offset ?? 0, stride: s.stride ?? 1, count: s.count,
      };
    },
    vertices: ({ series: s }) => 6 * Math.max(s.count - 1, 1),
  });
}
