// A render program of the plotting module: one shader of shaders/plot/ (linked after
// space.wgsl), with its bind-group layout built from the parsed WGSL and its uniform packed by
// field name — binding by name, as the compute kernels do (src/gpu/kernel.ts), never by number.

import spaceWgsl from '../../shaders/plot/space.wgsl?raw';
import { ShaderStage } from '../gpu/flags.js';
import { type BindingDecl, type UniformLayout, packUniform, parseBindings, parseUniformLayout } from '../gpu/wgsl.js';

export class RenderProgram {
  readonly pipeline: GPURenderPipeline;
  private readonly bindings: readonly BindingDecl[];
  private readonly groupLayout: GPUBindGroupLayout;
  /** The struct behind the `params` uniform. */
  readonly uniform: UniformLayout;

  constructor(
    private readonly device: GPUDevice,
    readonly name: string,
    source: string,
    format: GPUTextureFormat,
  ) {
    const code = `${spaceWgsl}\n${source}`;
    this.bindings = parseBindings(code);
    const params = this.bindings.find((b) => b.name === 'params');
    if (!params || params.type !== 'uniform') throw new Error(`plot shader "${name}" has no uniform "params"`);
    this.uniform = parseUniformLayout(code, params.wgslType);
    this.groupLayout = device.createBindGroupLayout({
      label: `plot ${name}`,
      entries: this.bindings.map((b) => ({ binding: b.binding, visibility: ShaderStage.VERTEX | ShaderStage.FRAGMENT, buffer: { type: b.type } })),
    });
    const module = device.createShaderModule({ label: `plot ${name}`, code });
    const blend: GPUBlendState = {
      color: { srcFactor: 'src-alpha', dstFactor: 'one-minus-src-alpha' },
      alpha: { srcFactor: 'one', dstFactor: 'one-minus-src-alpha' },
    };
    this.pipeline = device.createRenderPipeline({
      label: `plot ${name}`,
      layout: device.createPipelineLayout({ label: `plot ${name}`, bindGroupLayouts: [this.groupLayout] }),
      vertex: { module, entryPoint: 'vertex_main' },
      fragment: { module, entryPoint: 'fragment_main', targets: [{ format, blend }] },
      primitive: { topology: 'triangle-list' },
    });
  }

  /** The bind group, filled by binding name as the WGSL declares them; every name must be given. */
  bindGroup(label: string, resources: Record<string, GPUBuffer>): GPUBindGroup {
    for (const key of Object.keys(resources)) {
      if (!this.bindings.some((b) => b.name === key)) throw new Error(`plot shader "${this.name}" has no binding "${key}"`);
    }
    return this.device.createBindGroup({
      label,
      layout: this.groupLayout,
      entries: this.bindings.map((b) => {
        const buffer = resources[b.name];
        if (!buffer) throw new Error(`plot shader "${this.name}": binding "${b.name}" was not given`);
        return { binding: b.binding, resource: { buffer } };
      }),
    });
  }

  /** `values` packed by field name into the bytes of the shader's params struct. */
  params(values: Record<string, number>): ArrayBuffer {
    return packUniform(this.uniform, values, `plot ${this.name}`);
  }
}
