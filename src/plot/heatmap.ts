// A heat map of a matrix (shaders/plot/heatmap.wgsl): each cell coloured from a ramp of two or
// more colours over a range, or, with K values per cell, the K class colours blended by those
// probabilities — decision regions straight from a buffer a model predicted into.

import { ArgumentError } from '../gpu/errors.js';
import { checkCount as count } from '../gpu/matrix.js';
import { type LayerHost, type UpdatableLayer, sideBuffer, singleDrawLayer } from './layer.js';
import { checkKeys } from '../keys.js';
import { OPTION_KEYS, type HeatmapOptions, checkColor, checkRange, checkSource } from './options.js';

/** A heat map of a matrix, or class regions from K probabilities per cell. */
export function heatmapLayer(host: LayerHost, options: HeatmapOptions): UpdatableLayer<HeatmapOptions> {
  const palette = sideBuffer(host, 'plot heatmap palette', 'palette');
  return singleDrawLayer(host, 'heatmap', options, {
    check: (o) => {
      checkKeys('options', o, OPTION_KEYS.heatmap);
      const rows = count('options.rows', o.rows, 1);
      const cols = count('options.cols', o.cols, 1);
      const classes = count('options.classes', o.classes ?? 1, 1);
      const stride = count('options.stride', o.stride ?? cols * classes, 0);
      const offset = count('options.offset', o.offset ?? 0, 0);
      checkSource('options', o.buffer, offset + (rows - 1) * stride + cols * classes - 1);
      checkRange('options.range', o.range ?? [0, 1]);
    },
    bind: (o, params) => {
      const classes = o.classes ?? 1;
      const colors = o.palette ?? (classes === 1 ? [[0, 0, 0], [1, 1, 1]] : undefined);
      if (!colors || colors.length < Math.max(classes, 2)) {
        throw new ArgumentError('options.palette', `must hold ${Math.max(classes, 2)} colours for ${classes === 1 ? 'a scalar map' : `${classes} classes`}`);
      }
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
