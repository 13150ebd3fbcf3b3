// What the demo's views of the input plane share: the grid of points a model is evaluated on
// for its heat maps, and the class colours (the page's --c0, --c1 and green) as the GPU plots
// and the 2-D overlays paint them.

/** Cells across a map of the plane: GRID² points. */
export const GRID = 64;

export const BLUE = [0.082, 0.396, 0.753] as const;
export const ORANGE = [0.902, 0.318, 0] as const;
export const GREEN = [0.18, 0.49, 0.196] as const;
/** The same three colours for 2-D canvases, class by class. */
export const CLASS_CSS = ['#1565c0', '#e65100', '#2e7d32'];

/** GRID × GRID points over the ranges, row r (from the bottom) by column c, at cell centres. */
export function gridPoints(xr: readonly [number, number], yr: readonly [number, number]): { rows: number; cols: number; data: Float32Array<ArrayBuffer> } {
  const data = new Float32Array(GRID * GRID * 2);
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      data[2 * (r * GRID + c)] = xr[0] + ((c + 0.5) / GRID) * (xr[1] - xr[0]);
      data[2 * (r * GRID + c) + 1] = yr[0] + ((r + 0.5) / GRID) * (yr[1] - yr[0]);
    }
  }
  return { rows: GRID * GRID, cols: 2, data };
}
