// A heat map of a matrix (shaders/plot/heatmap.wgsl): each cell coloured from a ramp of two or
// more colours over a range, or, with K values per cell, the K class colours blended by those
// probabilities — decision regions straight from a buffer a model predicted into.

import { ArgumentError } from '../gpu/errors.js';
import { type LayerHost, type UpdatableLayer, sideBuffer, singleDrawLayer } from './layer.js';
import { checkOptions } from '../options.js';
import { type HeatmapOptions, PLOT_OPTIONS, checkColor, checkSource } from './options.js';

/** A heat map of a matrix, or class regions from K probabilities per cell. */
export function heatmapLayer(host: LayerHost, options: HeatmapOptions): UpdatableLayer<HeatmapOptions> {
  const palette = sideBuffer(host, 'plot heatmap palette', 'palette');
  return singleDrawLayer(host, 'heatmap', options, {
    check: (o) => {
      checkOptions('options', o, PLOT_OPTIONS.heatmap);
      const { rows, cols } = o;
      const classes = o.classes ?? 1;
      checkSource('options', o.buffer, (o.offset ?? 0) + (rows - 1) * (o.stride ?? cols * classes) + cols * classes - 1);
      if (o.palette === undefined ? classes > 1 : o.palette.length < Math.max(classes, 2)) {
        throw new ArgumentError('options.palette', `must hold ${Math.max(classes, 2)} colours for ${classes === 1 ? 'a scalar map' : `${classes} classes`}`);
      }
    },
    bind: (o, params) => {
      const colors = o.palette ?? [[0, 0, 0], [1, 1, 1]];
      return palette.bind(new Float32Array(colors.flatMap((c, i) => checkColor(`options.palette[${i}]`, c))), o.buffer, params);
    },
    uniforms: (o) => {
      const [low, high] = o.range ?? [0, 1];
      const classes = o.classes ?? 1;
      return { low, high, rows: o.rows, cols: o.cols, classes, offset: o.offset ?? 0, stride: o.stride ?? o.cols * classes, flip_y: o.flipY ? 1 : 0, stops: o.palette?.length ?? 2 };
    },
    vertices: () => 6,
    destroy: () => palette.destroy(),
  });
}
