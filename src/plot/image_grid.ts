// Rows of a matrix as a grid of side × side grey images (shaders/plot/image_grid.wgsl): a
// hidden layer's weights as 20×20 tiles, or digits, straight from the buffer they live in.

import { ArgumentError } from '../gpu/errors.js';
import { checkCount as count } from '../gpu/matrix.js';
import { type LayerHost, type UpdatableLayer, singleDrawLayer } from './layer.js';
import { checkKeys } from '../keys.js';
import { OPTION_KEYS, type ImageGridOptions, checkRange, checkSource, finite } from './options.js';

/** Rows of a matrix as a grid of side × side grey images (hidden units, digits). */
export function imageGridLayer(host: LayerHost, options: ImageGridOptions): UpdatableLayer<ImageGridOptions> {
  let bound: GPUBuffer | undefined;
  return singleDrawLayer(host, 'image_grid', options, {
    check: (o) => {
      checkKeys('options', o, OPTION_KEYS.imageGrid);
      const tiles = count('options.tiles', o.tiles, 1);
      const side = count('options.side', o.side, 1);
      count('options.columns', o.columns, 1);
      const stride = count('options.stride', o.stride ?? side * side, 0);
      checkSource('options', o.buffer, count('options.offset', o.offset ?? 0, 0) + (tiles - 1) * stride + side * side - 1);
      if (o.range !== undefined && o.range !== 'per-tile') checkRange('options.range', o.range);
      if (!(finite('options.gap', o.gap ?? 2) >= 0)) throw new ArgumentError('options.gap', 'must be ≥ 0');
    },
    bind: (o, params) => {
      if (bound === o.buffer) return undefined;
      bound = o.buffer;
      return { values: o.buffer, params };
    },
    uniforms: (o) => {
      const [low, high] = o.range === undefined || o.range === 'per-tile' ? [0, 1] : o.range;
      return {
        low, high, gap: o.gap ?? 2, tiles: o.tiles, side: o.side, columns: o.columns,
        offset: o.offset ?? 0, stride: o.stride ?? o.side * o.side, per_tile: o.range === 'per-tile' ? 1 : 0,
      };
    },
    vertices: (o) => 6 * o.tiles,
  });
}
