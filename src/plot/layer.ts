// The layer every plot is made of: one draw call of a plot shader's pipeline with one bind
// group, built once and redrawn every frame; changing its options rewrites its uniform (and
// rebuilds the bind group only when its data buffer changes). Line series, heat maps and image
// grids (./line.ts, ./heatmap.ts, ./image_grid.ts) are such layers.

import { BufferUsage } from '../gpu/flags.js';
import { type PlotLayer, type Rect, checkRect, scissor } from './options.js';
import type { RenderProgram } from './program.js';

/** What a layer needs of its plotter: the context's device, the shader's program, tracked buffers. */
export interface LayerHost {
  readonly device: GPUDevice;
  program(name: string): RenderProgram;
  /** A buffer the plotter frees in destroy() (or earlier, with free()). */
  buffer(label: string, size: number, usage: number): GPUBuffer;
  free(buffer: GPUBuffer): void;
}

/**
 * A small storage buffer a layer keeps besides its uniform (a heat map's palette, the edges'
 * positions) bound with its data buffer: `bind` writes `data` into it — made anew when it must
 * grow — and returns the bind group's resources when either buffer changed, else undefined.
 */
export function sideBuffer(host: LayerHost, label: string, name: string): { bind(data: Float32Array<ArrayBuffer>, values: GPUBuffer, params: GPUBuffer): Record<string, GPUBuffer> | undefined; destroy(): void } {
  let side: GPUBuffer | undefined;
  let bound: GPUBuffer | undefined;
  return {
    bind: (data, values, params) => {
      if (!side || side.size < data.byteLength) {
        if (side) host.free(side);
        side = host.buffer(label, data.byteLength, BufferUsage.STORAGE | BufferUsage.COPY_DST);
        bound = undefined;
      }
      host.device.queue.writeBuffer(side, 0, data);
      if (bound === values) return undefined;
      bound = values;
      return { values, [name]: side, params };
    },
    destroy: () => {
      if (side) host.free(side);
    },
  };
}

/** A layer whose options can change. */
export type UpdatableLayer<O> = PlotLayer & { update(options: Partial<O>): void };

export interface LayerSpec<O> {
  /** Checks the options (ArgumentError naming each), before anything changes. */
  check(o: O): void;
  /** The bind group's buffers by binding name when it must be (re)built (its data buffer changed), else undefined. */
  bind(o: O, params: GPUBuffer): Record<string, GPUBuffer> | undefined;
  /** The shader's params fields besides the rectangle and the target size. */
  uniforms(o: O): Record<string, number>;
  vertices(o: O): number;
  destroy?(): void;
}

/**
 * A layer whose options `update()` merges and `build` checks and applies (before anything
 * changes); `draw` records and frees it, reading the current options.
 */
export function updatableLayer<O extends { rect: Rect }>(
  initial: O,
  build: (o: O) => void,
  draw: { encode(o: O, pass: GPURenderPassEncoder, width: number, height: number): void; destroy(): void },
): UpdatableLayer<O> {
  let o = initial;
  build(o);
  return {
    get rect() {
      return o.rect;
    },
    update: (changes) => {
      const next = { ...o, ...changes };
      build(next);
      o = next;
    },
    encode: (pass, width, height) => draw.encode(o, pass, width, height),
    destroy: () => draw.destroy(),
  };
}

/** A layer drawn by one draw of shader `name`'s pipeline with one bind group. */
export function singleDrawLayer<O extends { rect: Rect }>(host: LayerHost, name: string, initial: O, spec: LayerSpec<O>): UpdatableLayer<O> {
  const check = (o: O) => {
    spec.check(o);
    checkRect('options.rect', o.rect);
  };
  check(initial); // before its pipeline and uniform are made
  const program = host.program(name);
  const label = `plot ${name.replace('_', ' ')}`;
  const params = host.buffer(`${label} params`, program.uniform.size, BufferUsage.UNIFORM | BufferUsage.COPY_DST);
  let group: GPUBindGroup | undefined;
  const build = (o: O) => {
    check(o);
    const resources = spec.bind(o, params);
    if (resources) group = program.bindGroup(label, resources);
  };
  return updatableLayer(initial, build, {
    encode: (o, pass, width, height) => {
      const box = scissor(o.rect, width, height);
      if (!box) return;
      const r = o.rect;
      host.device.queue.writeBuffer(params, 0, program.params({
        rect_x: r.x, rect_y: r.y, rect_width: r.width, rect_height: r.height, target_width: width, target_height: height, ...spec.uniforms(o),
      }));
      pass.setPipeline(program.pipeline);
      pass.setScissorRect(...box);
      pass.setBindGroup(0, group!);
      pass.draw(spec.vertices(o));
      pass.setScissorRect(0, 0, width, height);
    },
    destroy: () => {
      host.free(params);
      spec.destroy?.();
    },
  });
}
