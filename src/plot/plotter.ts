// Plots drawn by WGSL render shaders (shaders/plot/) straight from GPU buffers: line series
// (a cost history as the trainer writes it), heat maps (a probability grid a model predicted),
// image grids (a weight matrix's rows as tiles) and a network's edges (its weights). Nothing is
// read back to draw, so a live plot costs one small render pass. Each layer (./line.ts,
// ./heatmap.ts, ./image_grid.ts, ./edges.ts) is built once — pipeline and bind group — and
// redrawn as often as wanted; changing its options rewrites a uniform, not the pipeline. Axes
// and labels are 2-D canvas text (./axes.ts), drawn under a transparent WebGPU canvas (./canvas.ts).

import edgesWgsl from '../../shaders/plot/edges.wgsl?raw';
import heatmapWgsl from '../../shaders/plot/heatmap.wgsl?raw';
import imageGridWgsl from '../../shaders/plot/image_grid.wgsl?raw';
import lineWgsl from '../../shaders/plot/line.wgsl?raw';
import type { GpuContext } from '../gpu/context.js';
import { edgesLayer } from './edges.js';
import { heatmapLayer } from './heatmap.js';
import { imageGridLayer } from './image_grid.js';
import type { LayerHost, UpdatableLayer } from './layer.js';
import { linePlot } from './line.js';
import { type Color, type EdgesOptions, type HeatmapOptions, type ImageGridOptions, type LinePlotOptions, type PlotLayer, checkColor } from './options.js';
import { RenderProgram } from './program.js';

const SHADERS: Record<string, string> = { line: lineWgsl, heatmap: heatmapWgsl, image_grid: imageGridWgsl, edges: edgesWgsl };

/**
 * Builds plot layers for targets of one texture format on the context's device, and renders
 * them. `format` is the canvas's (navigator.gpu.getPreferredCanvasFormat()) or a texture's.
 */
export class Plotter {
  private readonly programs = new Map<string, RenderProgram>();
  private readonly buffers = new Set<GPUBuffer>();
  private readonly host: LayerHost;

  constructor(
    readonly ctx: GpuContext,
    readonly format: GPUTextureFormat,
  ) {
    this.host = {
      device: ctx.device,
      program: (name) => this.program(name),
      buffer: (label, size, usage) => {
        const b = this.ctx.createBuffer(label, size, usage);
        this.buffers.add(b);
        return b;
      },
      free: (b) => {
        if (this.buffers.delete(b)) this.ctx.release(b);
      },
    };
  }

  /** The program of a plot shader, built on first use. */
  private program(name: string): RenderProgram {
    let p = this.programs.get(name);
    if (!p) {
      p = new RenderProgram(this.ctx.device, name, SHADERS[name]!, this.format);
      this.programs.set(name, p);
    }
    return p;
  }

  /** Line series over shared x and y ranges; `update` changes ranges, counts or colours. */
  lines(options: LinePlotOptions): UpdatableLayer<LinePlotOptions> {
    return linePlot(this.host, options);
  }

  /** A heat map of a matrix, or class regions from K probabilities per cell. */
  heatmap(options: HeatmapOptions): UpdatableLayer<HeatmapOptions> {
    return heatmapLayer(this.host, options);
  }

  /** Rows of a matrix as a grid of side × side grey images (hidden units, digits). */
  imageGrid(options: ImageGridOptions): UpdatableLayer<ImageGridOptions> {
    return imageGridLayer(this.host, options);
  }

  /** A weight matrix as the edges between two layers of a network diagram (thickness, colour: the weights). */
  edges(options: EdgesOptions): UpdatableLayer<EdgesOptions> {
    return edgesLayer(this.host, options);
  }

  /**
   * Draws `layers` into `texture` (RENDER_ATTACHMENT usage, this plotter's format) in one
   * render pass, after clearing it to `clear` (default transparent). Nothing is read back.
   */
  render(texture: GPUTexture, layers: readonly PlotLayer[], clear: Color = [0, 0, 0, 0]): void {
    const [r, g, b, a] = checkColor('clear', clear);
    const encoder = this.ctx.device.createCommandEncoder({ label: 'plot' });
    const pass = encoder.beginRenderPass({
      label: 'plot',
      colorAttachments: [{ view: texture.createView({ label: 'plot target' }), loadOp: 'clear', storeOp: 'store', clearValue: { r: r * a, g: g * a, b: b * a, a } }],
    });
    for (const layer of layers) layer.encode(pass, texture.width, texture.height);
    pass.end();
    this.ctx.device.queue.submit([encoder.finish({ label: 'plot' })]);
  }

  /** Frees every uniform and palette buffer its layers made. Shader pipelines go with the device. */
  destroy(): void {
    for (const b of this.buffers) this.ctx.release(b);
    this.buffers.clear();
    this.programs.clear();
  }
}
