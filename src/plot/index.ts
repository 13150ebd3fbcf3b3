// Plotting straight from GPU buffers: WGSL render shaders (shaders/plot/) behind a small API,
// and 2-D canvas axes to put under them. A public part of wgsl-learn that any WebGPU app can use.

export {
  type Color, type HeatmapOptions, type ImageGridOptions, type LinePlotOptions, type LineSeries, type PlotLayer, type Rect,
  type PlotCanvasOptions, PlotCanvas, Plotter,
} from './plotter.js';
export { type AxesOptions, drawAxes, formatTick, niceTicks } from './axes.js';
