// A weight matrix as the edges of a network diagram (shaders/plot/edges.wgsl): edge (i, j) from
// the unit at from[j] to the unit at to[i], as thick and as opaque as |w| is large, coloured by
// w's sign — drawn from the buffer training updates (a network's weightsView), no readback.

import { ArgumentError } from '../gpu/errors.js';
import { checkCount as count } from '../gpu/matrix.js';
import { checkKeys } from '../keys.js';
import { type LayerHost, type UpdatableLayer, sideBuffer, singleDrawLayer } from './layer.js';
import { OPTION_KEYS, type EdgesOptions, checkColor, checkSource, finite } from './options.js';

const NEGATIVE = [0.082, 0.396, 0.753] as const;
const POSITIVE = [0.902, 0.318, 0] as const;

function checkPoints(name: string, points: unknown, n: number): void {
  if (!Array.isArray(points) || points.length !== n) throw new ArgumentError(name, `must be ${n} points [x, y], got ${Array.isArray(points) ? points.length : String(points)}`);
  points.forEach((p: unknown, k) => {
    if (!Array.isArray(p) || p.length !== 2) throw new ArgumentError(`${name}[${k}]`, `must be [x, y], got ${JSON.stringify(p)?.slice(0, 40)}`);
    finite(`${name}[${k}][0]`, p[0]);
    finite(`${name}[${k}][1]`, p[1]);
  });
}

/** Edges between two layers of units, from a rows × cols weight matrix. */
export function edgesLayer(host: LayerHost, options: EdgesOptions): UpdatableLayer<EdgesOptions> {
  const positions = sideBuffer(host, 'plot edges positions', 'positions');
  return singleDrawLayer(host, 'edges', options, {
    check: (o) => {
      checkKeys('options', o, OPTION_KEYS.edges);
      const rows = count('options.rows', o.rows, 1);
      const cols = count('options.cols', o.cols, 1);
      const stride = count('options.stride', o.stride ?? cols, cols);
      checkSource('options', o.buffer, count('options.offset', o.offset ?? 0, 0) + (rows - 1) * stride + cols - 1);
      checkPoints('options.from', o.from, cols);
      checkPoints('options.to', o.to, rows);
      if (!(finite('options.scale', o.scale ?? 1) > 0)) throw new ArgumentError('options.scale', `must be > 0, got ${o.scale}`);
      const width = finite('options.width', o.width ?? 6);
      const thinnest = finite('options.minWidth', o.minWidth ?? 0.5);
      if (!(thinnest >= 0 && width >= thinnest)) throw new ArgumentError('options.width', `must be ≥ options.minWidth ≥ 0, got ${width} and ${thinnest}`);
      if (o.palette !== undefined && (!Array.isArray(o.palette) || o.palette.length !== 2)) throw new ArgumentError('options.palette', 'must be two colours: [negative, positive]');
      o.palette?.forEach((c, i) => checkColor(`options.palette[${i}]`, c));
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
