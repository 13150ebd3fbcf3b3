// Plots drawn by WGSL render shaders (shaders/plot/) straight from GPU buffers: line series
// (a cost history as the trainer writes it), heat maps (a probability grid a model predicted)
// and image grids (a weight matrix's rows as tiles). Nothing is read back to draw, so a live
// plot costs one small render pass. Each layer is built once — pipeline and bind group — and
// redrawn as often as wanted; changing its options rewrites a uniform, not the pipeline.
// Axes and labels are 2-D canvas text (./axes.ts), drawn under a transparent WebGPU canvas.

import heatmapWgsl from '../../shaders/plot/heatmap.wgsl?raw';
import imageGridWgsl from '../../shaders/plot/image_grid.wgsl?raw';
import lineWgsl from '../../shaders/plot/line.wgsl?raw';
import spaceWgsl from '../../shaders/plot/space.wgsl?raw';
import type { GpuContext } from '../gpu/context.js';
import { ArgumentError } from '../gpu/errors.js';
import { BufferUsage, MapMode, TextureUsage } from '../gpu/flags.js';
import { checkCount as count, isGpuBuffer } from '../gpu/matrix.js';
import { type UniformLayout, packUniform, parseUniformLayout } from '../gpu/wgsl.js';

/** A rectangle on the target, in pixels from its top-left corner. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Red, green, blue and (default 1) alpha, each 0…1. */
export type Color = readonly [number, number, number] | readonly [number, number, number, number];

/** Where a plot's values are: element `offset` of `buffer` (float32, STORAGE usage) on. */
interface Source {
  buffer: GPUBuffer;
  /** Element (float) of the first value. Default 0. */
  offset?: number;
}

export interface LineSeries extends Source {
  /** Points: point i is (x0 + i·dx, values[offset + i·stride]); non-finite values leave a gap. */
  count: number;
  /** Elements between points. Default 1. */
  stride?: number;
  x0?: number;
  dx?: number;
  color: Color;
  /** Pixels. Default 2. */
  width?: number;
}

export interface LinePlotOptions {
  rect: Rect;
  /** Data ranges shown across and up the rectangle. */
  x: readonly [number, number];
  y: readonly [number, number];
  series: readonly LineSeries[];
}

export interface HeatmapOptions extends Source {
  rect: Rect;
  /** rows × cols cells, row 0 at the top (or the bottom with flipY). */
  rows: number;
  cols: number;
  /** Values per cell: 1 (a scalar, coloured from palette[0] at range[0] to palette[1] at range[1]) or K class probabilities. Default 1. */
  classes?: number;
  /** Elements between rows. Default cols·classes. */
  stride?: number;
  /** Default [0, 1]. */
  range?: readonly [number, number];
  /** Colours: two for a scalar (default black → white), one per class otherwise (required). */
  palette?: readonly Color[];
  flipY?: boolean;
}

export interface ImageGridOptions extends Source {
  rect: Rect;
  /** Images, each `side` × `side` values, row-major. */
  tiles: number;
  side: number;
  /** Tiles per row of the grid. */
  columns: number;
  /** Elements between tiles. Default side². */
  stride?: number;
  /** Grey range [black, white], or 'per-tile' to scale each tile to its own [min, max]. Default [0, 1]. */
  range?: readonly [number, number] | 'per-tile';
  /** Pixels between tiles. Default 2. */
  gap?: number;
}

/** One series of a line plot, with the plot's rectangle and ranges. */
interface SeriesOptions {
  rect: Rect;
  x: readonly [number, number];
  y: readonly [number, number];
  series: LineSeries;
}

/** Something a Plotter draws: built once, redrawn every frame. */
export interface PlotLayer {
  readonly rect: Rect;
  /** Records the layer's draws into `pass`, whose target is `width` × `height` pixels. */
  encode(pass: GPURenderPassEncoder, width: number, height: number): void;
  destroy(): void;
}

interface Program {
  layout: UniformLayout;
  pipeline: GPURenderPipeline;
}

const SHADERS = {
  line: { source: lineWgsl, struct: 'LineParams' },
  heatmap: { source: heatmapWgsl, struct: 'HeatmapParams' },
  image_grid: { source: imageGridWgsl, struct: 'GridParams' },
} as const;
type ShaderName = keyof typeof SHADERS;

function finite(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(name, `must be a finite number, got ${String(v)}`);
  return v;
}

function checkRect(name: string, r: Rect): Rect {
  if (!r || typeof r !== 'object') throw new ArgumentError(name, 'must be { x, y, width, height } in pixels');
  for (const k of ['x', 'y', 'width', 'height'] as const) finite(`${name}.${k}`, r[k]);
  if (!(r.width > 0 && r.height > 0)) throw new ArgumentError(name, `must have a width and height > 0, got ${r.width} × ${r.height}`);
  return r;
}

function checkRange(name: string, r: readonly [number, number]): readonly [number, number] {
  if (!Array.isArray(r) || r.length !== 2) throw new ArgumentError(name, `must be [min, max], got ${String(r)}`);
  finite(`${name}[0]`, r[0]);
  finite(`${name}[1]`, r[1]);
  return r;
}

function checkColor(name: string, c: Color): [number, number, number, number] {
  if (!Array.isArray(c) || (c.length !== 3 && c.length !== 4) || !c.every((v) => typeof v === 'number' && v >= 0 && v <= 1)) {
    throw new ArgumentError(name, `must be [r, g, b] or [r, g, b, a], each 0…1, got ${JSON.stringify(c)}`);
  }
  return [c[0], c[1], c[2], c[3] ?? 1];
}

/** Checks that `buffer` is a storage buffer holding element `last` (the highest one read). */
function checkSource(name: string, buffer: GPUBuffer, last: number): void {
  if (!isGpuBuffer(buffer) || !(buffer.usage & BufferUsage.STORAGE)) {
    throw new ArgumentError(`${name}.buffer`, 'must be a GPUBuffer with STORAGE usage');
  }
  if ((last + 1) * 4 > buffer.size) {
    throw new ArgumentError(`${name}.buffer`, `holds ${buffer.size / 4} floats, but the plot reads element ${last}`);
  }
}

/** The part of `r` on a width × height target, in whole pixels (null when none of it is). */
function scissor(r: Rect, width: number, height: number): [number, number, number, number] | null {
  const x0 = Math.max(0, Math.floor(r.x));
  const y0 = Math.max(0, Math.floor(r.y));
  const x1 = Math.min(width, Math.ceil(r.x + r.width));
  const y1 = Math.min(height, Math.ceil(r.y + r.height));
  return x1 > x0 && y1 > y0 ? [x0, y0, x1 - x0, y1 - y0] : null;
}

/**
 * Builds plot layers for targets of one texture format on the context's device, and renders
 * them. `format` is the canvas's (navigator.gpu.getPreferredCanvasFormat()) or a texture's.
 */
export class Plotter {
  private readonly programs = new Map<ShaderName, Program>();
  private readonly buffers = new Set<GPUBuffer>();

  constructor(
    readonly ctx: GpuContext,
    readonly format: GPUTextureFormat,
  ) {}

  private program(name: ShaderName): Program {
    let p = this.programs.get(name);
    if (!p) {
      const { source, struct } = SHADERS[name];
      const device = this.ctx.device;
      const module = device.createShaderModule({ label: `plot ${name}`, code: `${spaceWgsl}\n${source}` });
      const blend: GPUBlendState = {
        color: { srcFactor: 'src-alpha', dstFactor: 'one-minus-src-alpha' },
        alpha: { srcFactor: 'one', dstFactor: 'one-minus-src-alpha' },
      };
      const pipeline = device.createRenderPipeline({
        label: `plot ${name}`,
        layout: 'auto',
        vertex: { module, entryPoint: 'vertex_main' },
        fragment: { module, entryPoint: 'fragment_main', targets: [{ format: this.format, blend }] },
        primitive: { topology: 'triangle-list' },
      });
      p = { layout: parseUniformLayout(source, struct), pipeline };
      this.programs.set(name, p);
    }
    return p;
  }

  private uniform(label: string, size: number): GPUBuffer {
    const b = this.ctx.createBuffer(label, size, BufferUsage.UNIFORM | BufferUsage.COPY_DST);
    this.buffers.add(b);
    return b;
  }

  private free(b: GPUBuffer): void {
    if (this.buffers.delete(b)) this.ctx.release(b);
  }

  /** Line series over shared x and y ranges; `update` changes ranges, counts or colours. */
  lines(options: LinePlotOptions): PlotLayer & { update(options: Partial<LinePlotOptions>): void } {
    let o = options;
    // One single-draw layer per series, kept across updates (its bind group is rebuilt only
    // when its buffer changes).
    let parts: (PlotLayer & { update(options: Partial<SeriesOptions>): void })[] = [];
    const build = () => {
      checkRect('options.rect', o.rect);
      checkRange('options.x', o.x);
      checkRange('options.y', o.y);
      if (!Array.isArray(o.series)) throw new ArgumentError('options.series', 'must be an array of line series');
      // Every series is checked before any layer changes.
      o.series.forEach((s, i) => {
        const name = `options.series[${i}]`;
        const n = count(`${name}.count`, s.count, 1);
        const stride = count(`${name}.stride`, s.stride ?? 1, 0);
        checkSource(name, s.buffer, count(`${name}.offset`, s.offset ?? 0, 0) + (n - 1) * stride);
        checkColor(`${name}.color`, s.color);
        finite(`${name}.width`, s.width ?? 2);
      });
      const each = o.series.map((series): SeriesOptions => ({ rect: o.rect, x: o.x, y: o.y, series }));
      each.forEach((e, i) => (parts[i] ? parts[i].update(e) : (parts[i] = this.series(e))));
      for (const p of parts.splice(each.length)) p.destroy();
    };
    build();
    return {
      get rect() {
        return o.rect;
      },
      update: (changes) => {
        o = { ...o, ...changes };
        build();
      },
      encode: (pass, width, height) => {
        for (const p of parts) p.encode(pass, width, height);
      },
      destroy: () => {
        for (const p of parts.splice(0)) p.destroy();
      },
    };
  }

  /** One line series (checked by lines()): its own uniform, redrawn with the plot's ranges. */
  private series(options: SeriesOptions): PlotLayer & { update(options: Partial<SeriesOptions>): void } {
    let bound: GPUBuffer | undefined;
    return this.singleDraw('line', options, {
      check: () => {},
      bind: (o, params) => {
        if (bound === o.series.buffer) return undefined;
        bound = o.series.buffer;
        return [{ binding: 0, resource: { buffer: o.series.buffer } }, { binding: 1, resource: { buffer: params } }];
      },
      uniforms: ({ x, y, series: s }) => {
        const [red, green, blue, alpha] = checkColor('color', s.color);
        return {
          x_min: x[0], x_max: x[1], y_min: y[0], y_max: y[1], x0: s.x0 ?? 0, dx: s.dx ?? 1, width: s.width ?? 2,
          red, green, blue, alpha, offset: s.offset ?? 0, stride: s.stride ?? 1, count: s.count,
        };
      },
      vertices: ({ series: s }) => 6 * Math.max(s.count - 1, 1),
    });
  }

  /**
   * A layer drawn by one draw call of `name`'s pipeline with one bind group: what the heat
   * map and the image grid share. `bind` returns the bind group's entries when they must be
   * (re)built (the data buffer changed), else undefined.
   */
  private singleDraw<O extends { rect: Rect }>(
    name: ShaderName,
    initial: O,
    spec: {
      check(o: O): void;
      bind(o: O, params: GPUBuffer): GPUBindGroupEntry[] | undefined;
      uniforms(o: O): Record<string, number>;
      vertices(o: O): number;
      destroy?(): void;
    },
  ): PlotLayer & { update(options: Partial<O>): void } {
    const { layout, pipeline } = this.program(name);
    const device = this.ctx.device;
    const label = `plot ${name.replace('_', ' ')}`;
    const params = this.uniform(`${label} params`, layout.size);
    let o = initial;
    let group: GPUBindGroup | undefined;
    const build = () => {
      checkRect('options.rect', o.rect);
      spec.check(o);
      const entries = spec.bind(o, params);
      if (entries) group = device.createBindGroup({ label, layout: pipeline.getBindGroupLayout(0), entries });
    };
    build();
    return {
      get rect() {
        return o.rect;
      },
      update: (changes) => {
        o = { ...o, ...changes };
        build();
      },
      encode: (pass, width, height) => {
        const box = scissor(o.rect, width, height);
        if (!box) return;
        const r = o.rect;
        device.queue.writeBuffer(params, 0, packUniform(layout, {
          rect_x: r.x, rect_y: r.y, rect_width: r.width, rect_height: r.height, target_width: width, target_height: height, ...spec.uniforms(o),
        }, label));
        pass.setPipeline(pipeline);
        pass.setScissorRect(...box);
        pass.setBindGroup(0, group!);
        pass.draw(spec.vertices(o));
        pass.setScissorRect(0, 0, width, height);
      },
      destroy: () => {
        this.free(params);
        spec.destroy?.();
      },
    };
  }

  /** A heat map of a matrix, or class regions from K probabilities per cell. */
  heatmap(options: HeatmapOptions): PlotLayer & { update(options: Partial<HeatmapOptions>): void } {
    let palette: GPUBuffer | undefined;
    let bound: GPUBuffer | undefined;
    return this.singleDraw('heatmap', options, {
      check: (o) => {
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
        const flat = new Float32Array(colors.flatMap((c, i) => checkColor(`options.palette[${i}]`, c)));
        if (!palette || palette.size < flat.byteLength) {
          if (palette) this.free(palette);
          palette = this.ctx.createBuffer('plot heatmap palette', flat.byteLength, BufferUsage.STORAGE | BufferUsage.COPY_DST);
          this.buffers.add(palette);
          bound = undefined;
        }
        this.ctx.device.queue.writeBuffer(palette, 0, flat);
        if (bound === o.buffer) return undefined;
        bound = o.buffer;
        return [
          { binding: 0, resource: { buffer: o.buffer } },
          { binding: 1, resource: { buffer: palette } },
          { binding: 2, resource: { buffer: params } },
        ];
      },
      uniforms: (o) => {
        const [low, high] = o.range ?? [0, 1];
        const classes = o.classes ?? 1;
        return { low, high, rows: o.rows, cols: o.cols, classes, offset: o.offset ?? 0, stride: o.stride ?? o.cols * classes, flip_y: o.flipY ? 1 : 0 };
      },
      vertices: () => 6,
      destroy: () => {
        if (palette) this.free(palette);
      },
    });
  }

  /** Rows of a matrix as a grid of side × side grey images (hidden units, digits). */
  imageGrid(options: ImageGridOptions): PlotLayer & { update(options: Partial<ImageGridOptions>): void } {
    let bound: GPUBuffer | undefined;
    return this.singleDraw('image_grid', options, {
      check: (o) => {
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
        return [{ binding: 0, resource: { buffer: o.buffer } }, { binding: 1, resource: { buffer: params } }];
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

export interface PlotCanvasOptions {
  /**
   * How frames reach the canvas. 'webgpu' (default): the canvas is configured on the
   * plotter's device and layers render straight into it — no readback. 'copy': layers render
   * into a texture that is read back and put on a 2-D canvas, one readback per frame — for
   * browsers that cannot present WebGPU canvases from their adapter (Chrome's software
   * adapter under headless Linux loses every device of the page when a WebGPU canvas is
   * presented), where the data are in CPU memory anyway.
   */
  present?: 'webgpu' | 'copy';
  /**
   * Called when copying a frame fails ('copy' only; 'webgpu' frames fail as any GPU work does,
   * in the device's error scopes). Default: console.error. Not called for a frame abandoned
   * because the device was destroyed or lost: `device.lost` says that.
   */
  onError?: (error: unknown) => void;
}

/** A canvas that a Plotter draws into (transparent, so 2-D axes can sit under it). */
export class PlotCanvas {
  readonly present: 'webgpu' | 'copy';
  private readonly context: GPUCanvasContext | undefined;
  private readonly context2d: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | undefined;
  private target: GPUTexture | undefined;
  private staging: GPUBuffer | undefined;
  private copying = false;
  private queued: { layers: readonly PlotLayer[]; clear: Color | undefined } | undefined;
  private lost = false;
  private readonly onError: (error: unknown) => void;
  /** Settles when the frames asked for so far are on the canvas (immediately for 'webgpu'); never rejects. */
  idle: Promise<void> = Promise.resolve();

  constructor(
    readonly plotter: Plotter,
    readonly canvas: HTMLCanvasElement | OffscreenCanvas,
    options: PlotCanvasOptions = {},
  ) {
    this.present = options.present ?? 'webgpu';
    this.onError = options.onError ?? ((e) => console.error('PlotCanvas: a frame could not be copied to the canvas:', e));
    void plotter.ctx.device.lost.then(() => (this.lost = true));
    if (this.present !== 'webgpu' && this.present !== 'copy') throw new ArgumentError('options.present', `must be 'webgpu' or 'copy', got ${String(this.present)}`);
    if (this.present === 'webgpu') {
      const context = canvas.getContext('webgpu') as GPUCanvasContext | null;
      if (!context) throw new ArgumentError('canvas', 'gave no WebGPU context (is it already used for 2-D drawing?)');
      context.configure({ device: plotter.ctx.device, format: plotter.format, alphaMode: 'premultiplied' });
      this.context = context;
    } else {
      if (plotter.format !== 'rgba8unorm' && plotter.format !== 'bgra8unorm') {
        throw new ArgumentError('plotter.format', `must be rgba8unorm or bgra8unorm to copy frames to a 2-D canvas, got ${plotter.format}`);
      }
      const context = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
      if (!context) throw new ArgumentError('canvas', 'gave no 2-D context (is it already used for WebGPU?)');
      this.context2d = context;
    }
  }

  /** Draws `layers` on the canvas's next frame. */
  draw(layers: readonly PlotLayer[], clear?: Color): void {
    if (this.context) {
      this.plotter.render(this.context.getCurrentTexture(), layers, clear);
      return;
    }
    // One frame in flight at a time; asking again meanwhile draws the latest request next.
    this.queued = { layers, clear };
    if (!this.copying) this.idle = this.copyFrames();
  }

  private async copyFrames(): Promise<void> {
    this.copying = true;
    try {
      while (this.queued && !this.lost) {
        const { layers, clear } = this.queued;
        this.queued = undefined;
        await this.copyFrame(layers, clear);
      }
    } catch (e) {
      // A frame in flight when the device is destroyed or lost fails to map (AbortError): the
      // frame is abandoned, and the loss is reported by device.lost. Anything else is reported.
      if (!this.lost && (e as Error)?.name !== 'AbortError') this.onError(e);
    } finally {
      this.copying = false;
    }
  }

  private async copyFrame(layers: readonly PlotLayer[], clear: Color | undefined): Promise<void> {
    const device = this.plotter.ctx.device;
    const { width, height } = this.canvas;
    const bytesPerRow = Math.ceil((width * 4) / 256) * 256;
    if (!this.target || this.target.width !== width || this.target.height !== height) {
      this.target?.destroy();
      this.staging?.destroy();
      this.target = device.createTexture({ label: 'plot canvas frame', size: [width, height], format: this.plotter.format, usage: TextureUsage.RENDER_ATTACHMENT | TextureUsage.COPY_SRC });
      this.staging = device.createBuffer({ label: 'plot canvas readback', size: bytesPerRow * height, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
    }
    const [target, staging] = [this.target, this.staging!];
    this.plotter.render(target, layers, clear);
    const encoder = device.createCommandEncoder({ label: 'plot canvas copy' });
    encoder.copyTextureToBuffer({ texture: target }, { buffer: staging, bytesPerRow }, [width, height]);
    device.queue.submit([encoder.finish({ label: 'plot canvas copy' })]);
    await staging.mapAsync(MapMode.READ);
    const bytes = new Uint8Array(staging.getMappedRange());
    const image = new ImageData(width, height);
    const bgra = this.plotter.format === 'bgra8unorm';
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const at = y * bytesPerRow + 4 * x;
        const a = bytes[at + 3]!;
        // The texture holds premultiplied colour; ImageData wants it straight.
        const scale = a === 0 ? 0 : 255 / a;
        const out = 4 * (y * width + x);
        image.data[out] = bytes[at + (bgra ? 2 : 0)]! * scale;
        image.data[out + 1] = bytes[at + 1]! * scale;
        image.data[out + 2] = bytes[at + (bgra ? 0 : 2)]! * scale;
        image.data[out + 3] = a;
      }
    }
    staging.unmap();
    this.context2d!.putImageData(image, 0, 0);
  }

  /** Stops drawing into the canvas and frees what it made (the device stays as it is). */
  destroy(): void {
    this.context?.unconfigure();
    this.target?.destroy();
    this.staging?.destroy();
    this.target = this.staging = undefined;
  }
}
