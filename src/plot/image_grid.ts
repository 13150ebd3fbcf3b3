// Rows of a matrix as a grid of side × side grey images (shaders/plot/image_grid.wgsl): a
// hidden layer's weights as 20×20 tiles, or digits, straight from the buffer they live in.

import { type LayerHost, type UpdatableLayer, singleDrawLayer } from './layer.js';
import { checkOptions } from '../options.js';
import { type ImageGridOptions, PLOT_OPTIONS, checkSource } from './options.js';

/** Rows of a matrix as a grid of side × side grey images (hidden units, digits). */
export function imageGridLayer(host: LayerHost, options: ImageGridOptions): UpdatableLayer<ImageGridOptions> {
  let bound: GPUBuffer | undefined;
  return singleDrawLayer(host, 'image_grid', options, {
    check: (o) => {
      checkOptions('options', o, PLOT_OPTIONS.imageGrid);
      const { tiles, side } = o;
      checkSource('options', o.buffer, (o.offset ?? 0) + (tiles - 1) * (o.stride ?? side * side) + side * side - 1);
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
