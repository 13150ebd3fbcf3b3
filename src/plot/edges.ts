// A weight matrix as the edges of a network diagram (shaders/plot/edges.wgsl): edge (i, j) from
// the unit at from[j] to the unit at to[i], as thick and as opaque as |w| is large, coloured by
// w's sign — drawn from the buffer training updates (a network's weightsView), no readback.

import { ArgumentError } from '../gpu/errors.js';
import { checkOptions } from '../options.js';
import { type LayerHost, type UpdatableLayer, sideBuffer, singleDrawLayer } from './layer.js';
import { type EdgesOptions, PLOT_OPTIONS, checkSource } from './options.js';

const NEGATIVE = [0.082, 0.396, 0.753] as const;
const POSITIVE = [0.902, 0.318, 0] as const;

/** Edges between two layers of units, from a rows × cols weight matrix. */
export function edgesLayer(host: LayerHost, options: EdgesOptions): UpdatableLayer<EdgesOptions> {
  const positions = sideBuffer(host, 'plot edges positions', 'positions');
  return singleDrawLayer(host, 'edges', options, {
    check: (o) => {
      checkOptions('options', o, PLOT_OPTIONS.edges);
      const { rows, cols } = o;
      const stride = o.stride ?? cols;
      if (stride < cols) throw new ArgumentError('options.stride', `must be ≥ options.cols (${cols}): rows would overlap, got ${stride}`);
      checkSource('options', o.buffer, (o.offset ?? 0) + (rows - 1) * stride + cols - 1);
      for (const [name, points, n] of [['options.from', o.from, cols], ['options.to', o.to, rows]] as const) {
        if (points.length !== n) throw new ArgumentError(name, `must be ${n} points [x, y], one per ${name === 'options.from' ? 'column' : 'row'}, got ${points.length}`);
      }
      const width = o.width ?? 6;
      const thinnest = o.minWidth ?? 0.5;
      if (!(width >= thinnest)) throw new ArgumentError('options.width', `must be ≥ options.minWidth, got ${width} and ${thinnest}`);
    },
    bind: (o, params) => positions.bind(new Float32Array([...o.from, ...o.to].flat()), o.buffer, params),
    uniforms: (o) => {
      const [nr, ng, nb] = o.palette?.[0] ?? NEGATIVE;
      const [pr, pg, pb] = o.palette?.[1] ?? POSITIVE;
      return {
        scale: o.scale ?? 1, width: o.width ?? 6, min_width: o.minWidth ?? 0.5,
        negative_red: nr, negative_green: ng, negative_blue: nb, positive_red: pr, positive_green: pg, positive_blue: pb,
        offset: o.offset ?? 0, stride: o.stride ?? o.cols, rows: o.rows, cols: o.cols,
      };
    },
    vertices: (o) => 6 * o.rows * o.cols,
    destroy: () => positions.destroy(),
  });
}
