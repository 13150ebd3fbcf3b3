// A canvas that a Plotter draws into: presented as a WebGPU canvas (zero readback), or, where the
// adapter cannot present one (Chrome's software adapter under headless Linux), rendered into a
// texture and copied onto a 2-D canvas, one readback per frame.

import { ArgumentError } from '../gpu/errors.js';
import { BufferUsage, MapMode, TextureUsage } from '../gpu/flags.js';
import { checkOptions, kinds, optionTable } from '../options.js';
import type { Color, PlotLayer } from './options.js';
import type { Plotter } from './plotter.js';

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
const CANVAS_OPTIONS = optionTable<PlotCanvasOptions>('PlotCanvas options', { present: kinds.choice(['webgpu', 'copy']), onError: kinds.function });

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
    checkOptions('options', options, CANVAS_OPTIONS);
    this.present = options.present ?? 'webgpu';
    this.onError = options.onError ?? ((e) => console.error('PlotCanvas: a frame could not be copied to the canvas:', e));
    void plotter.ctx.device.lost.then(() => (this.lost = true));
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
