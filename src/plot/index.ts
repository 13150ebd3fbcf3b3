// Plotting straight from GPU buffers: WGSL render shaders (shaders/plot/) behind a small API,
// and 2-D canvas axes to put under them. A public part of wgsl-learn that any WebGPU app can use.
// The WebGPU types (GPUDevice, GPUBuffer …) come with the declarations: an app needs no set-up.

/// <reference types="@webgpu/types" preserve="true" />

export { Plotter } from './plotter.js';
export { PlotCanvas, type PlotCanvasOptions } from './canvas.js';
export type { Color, EdgesOptions, HeatmapOptions, ImageGridOptions, LinePlotOptions, LineSeries, PlotLayer, Rect } from './options.js';
export type { UpdatableLayer } from './layer.js';
export { type AxesOptions, drawAxes, formatTick, niceTicks } from './axes.js';
