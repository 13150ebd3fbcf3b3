// A compiled WGSL kernel: its bind-group layouts and uniform layout read from the WGSL itself,
// and its pipelines, one per set of override constants, built once and labelled with its name.

import { ArgumentError, KernelCompileError } from './errors.js';
import { ShaderStage } from './flags.js';
import { type BindingDecl, type UniformLayout, packUniform, parseBindings, parseConstants, parseUniformLayout } from './wgsl.js';

export interface KernelSpec {
  /** The kernel's name: the label of every GPU object made for it, and the name in its errors. */
  name: string;
  /** WGSL modules linked in order: shared libraries (shaders/lib) first, the kernel file last. */
  sources: readonly string[];
  /**
   * Uniform bindings bound at a dynamic offset (a table of per-step records in one buffer,
   * chosen per dispatch with `encodeDispatch(pass, dispatch, [offset])`). Each must be the only
   * binding of its group.
   */
  dynamic?: readonly string[];
}

/** Override constants of one pipeline; booleans become 0/1 as WebGPU requires. */
export type Overrides = Record<string, number | boolean>;

/** A ready-to-encode dispatch: pipeline, bind groups and grid, all built once and reused. */
export interface Dispatch {
  label: string;
  pipeline: GPUComputePipeline;
  bindGroups: GPUBindGroup[];
  workgroups: [number, number, number];
  /** Index of the bind group holding the kernel's dynamic-offset uniform, if it has one. */
  dynamicGroup?: number;
}

/**
 * Records `dispatch` into `pass`; `offset` is the byte offset of its per-step record when the
 * kernel has a dynamic uniform. The pass orders it after the dispatches encoded before it.
 */
export function encodeDispatch(pass: GPUComputePassEncoder, dispatch: Dispatch, offset?: number): void {
  pass.setPipeline(dispatch.pipeline);
  dispatch.bindGroups.forEach((group, i) => {
    if (i === dispatch.dynamicGroup) pass.setBindGroup(i, group, [offset ?? 0]);
    else pass.setBindGroup(i, group);
  });
  pass.dispatchWorkgroups(...dispatch.workgroups);
}

/** Encodes `dispatches` in order in one compute pass labelled `label`. */
export function encodePass(encoder: GPUCommandEncoder, label: string, dispatches: readonly Dispatch[]): void {
  const pass = encoder.beginComputePass({ label });
  for (const d of dispatches) encodeDispatch(pass, d);
  pass.end();
}

export class Kernel {
  readonly name: string;
  readonly code: string;
  readonly bindings: readonly BindingDecl[];
  /** Layout of the struct behind the kernel's uniform binding, if it has one. */
  readonly uniform: UniformLayout | undefined;
  /** Group of the dynamic-offset uniform (KernelSpec.dynamic), if any. */
  readonly dynamicGroup: number | undefined;
  /** The module's integer constants in capitals (codes and layouts it shares with the host). */
  private readonly constants: Map<string, number>;
  private readonly groupLayouts: GPUBindGroupLayout[];
  private readonly pipelineLayout: GPUPipelineLayout;
  private module: Promise<GPUShaderModule> | undefined;
  private readonly pipelines = new Map<string, Promise<GPUComputePipeline>>();

  constructor(
    private readonly device: GPUDevice,
    spec: KernelSpec,
  ) {
    this.name = spec.name;
    this.code = spec.sources.join('\n');
    this.bindings = parseBindings(this.code);
    this.constants = parseConstants(this.code);
    const dynamic = new Set(spec.dynamic ?? []);
    for (const name of dynamic) {
      const decl = this.bindings.find((b) => b.name === name);
      if (decl?.type !== 'uniform') throw new Error(`kernel "${this.name}": dynamic binding "${name}" is not a uniform`);
      if (this.bindings.some((b) => b.group === decl.group && b !== decl)) {
        throw new Error(`kernel "${this.name}": dynamic binding "${name}" must be alone in group ${decl.group}`);
      }
    }
    if (dynamic.size > 1) throw new Error(`kernel "${this.name}": one dynamic binding at most`);
    this.dynamicGroup = this.bindings.find((b) => dynamic.has(b.name))?.group;
    const uniforms = this.bindings.filter((b) => b.type === 'uniform' && !dynamic.has(b.name));
    if (uniforms.length > 1) throw new Error(`kernel "${this.name}": one uniform binding at most`);
    this.uniform = uniforms[0] && parseUniformLayout(this.code, uniforms[0].wgslType);

    // Explicit layouts, not 'auto': every declared binding stays in the layout even where an
    // override switches its use off, so one bind group fits every pipeline of the kernel.
    const groups = this.bindings.reduce((most, b) => Math.max(most, b.group + 1), 0);
    this.groupLayouts = Array.from({ length: groups }, (_, group) =>
      device.createBindGroupLayout({
        label: `${this.name} group ${group}`,
        entries: this.bindings
          .filter((b) => b.group === group)
          .map((b) => ({
            binding: b.binding,
            visibility: ShaderStage.COMPUTE,
            buffer: { type: b.type, hasDynamicOffset: dynamic.has(b.name) },
          })),
      }),
    );
    this.pipelineLayout = device.createPipelineLayout({ label: this.name, bindGroupLayouts: this.groupLayouts });
  }

  /** The shader module, compiled once; WGSL errors become a KernelCompileError with their line numbers. */
  private compile(): Promise<GPUShaderModule> {
    this.module ??= (async () => {
      this.device.pushErrorScope('validation');
      const module = this.device.createShaderModule({ label: this.name, code: this.code });
      const error = await this.device.popErrorScope();
      if (error) {
        const info = await module.getCompilationInfo();
        const lines = info.messages.map((m) => `${m.type} at line ${m.lineNum}:${m.linePos}: ${m.message}`);
        throw new KernelCompileError(this.name, lines.length ? lines.join('\n') : error.message);
      }
      return module;
    })();
    return this.module;
  }

  /** The pipeline for these override constants, compiled on first use. */
  pipeline(overrides: Overrides = {}): Promise<GPUComputePipeline> {
    const constants: Record<string, number> = {};
    for (const key of Object.keys(overrides).sort()) constants[key] = Number(overrides[key]);
    const key = JSON.stringify(constants);
    let p = this.pipelines.get(key);
    if (!p) {
      p = this.build(constants);
      this.pipelines.set(key, p);
      p.catch(() => this.pipelines.delete(key));
    }
    return p;
  }

  private async build(constants: Record<string, number>): Promise<GPUComputePipeline> {
    const label = Object.keys(constants).length ? `${this.name} ${JSON.stringify(constants)}` : this.name;
    const module = await this.compile();
    try {
      return await this.device.createComputePipelineAsync({
        label,
        layout: this.pipelineLayout,
        compute: { module, entryPoint: 'main', constants },
      });
    } catch (e) {
      throw new KernelCompileError(this.name, `${label}: ${(e as Error).message ?? String(e)}`);
    }
  }

  /**
   * One bind group per group index, filled by binding *name* as the WGSL declares them.
   * Every declared name must be given, and no other. A dynamic binding takes
   * `{ buffer, size }`: the size of one record.
   */
  bindGroups(resources: Record<string, GPUBuffer | GPUBufferBinding>, label = this.name): GPUBindGroup[] {
    for (const name of Object.keys(resources)) {
      if (!this.bindings.some((b) => b.name === name)) throw new Error(`kernel "${this.name}" has no binding "${name}"`);
    }
    return this.groupLayouts.map((layout, group) =>
      this.device.createBindGroup({
        label: `${label} group ${group}`,
        layout,
        entries: this.bindings
          .filter((b) => b.group === group)
          .map((b) => {
            const given = resources[b.name];
            if (!given) throw new Error(`kernel "${this.name}": binding "${b.name}" was not given`);
            return { binding: b.binding, resource: 'buffer' in given ? given : { buffer: given } };
          }),
      }),
    );
  }

  /** The WGSL's constant `name` (e.g. a HEAD code); throws if the kernel declares none. */
  constant(name: string): number {
    const v = this.constants.get(name);
    if (v === undefined) throw new Error(`kernel "${this.name}" declares no constant ${name}`);
    return v;
  }

  /** `values` packed by field name into the bytes of the WGSL uniform struct. */
  params(values: Record<string, number>): ArrayBuffer {
    if (!this.uniform) throw new Error(`kernel "${this.name}" has no uniform binding`);
    return packUniform(this.uniform, values, `kernel "${this.name}"`);
  }
}

/**
 * Makes a kernel's uniform buffer (`bytes`, labelled `label`) and builds the dispatch that binds
 * it; the uniform is freed if building fails, and is the caller's to free after.
 */
export async function withUniform(
  ctx: { createUniform(label: string, bytes: ArrayBuffer): GPUBuffer; release(buffer: GPUBuffer): void },
  label: string,
  bytes: ArrayBuffer,
  build: (params: GPUBuffer) => Promise<Dispatch>,
): Promise<{ dispatch: Dispatch; params: GPUBuffer }> {
  const params = ctx.createUniform(label, bytes);
  try {
    return { dispatch: await build(params), params };
  } catch (e) {
    ctx.release(params);
    throw e;
  }
}

/**
 * Workgroup grid for `invocations` threads in groups of `size`: x alone while it fits
 * maxComputeWorkgroupsPerDimension, else folded into x·y (the kernel rebuilds the flat index
 * from num_workgroups and ignores the overshoot).
 */
export function grid1d(invocations: number, size: number, maxPerDim: number, who: string): [number, number, number] {
  const groups = Math.ceil(invocations / size);
  if (groups <= maxPerDim) return [Math.max(1, groups), 1, 1];
  const y = Math.ceil(groups / maxPerDim);
  if (y > maxPerDim) throw new ArgumentError(who, `${invocations} elements need more workgroups than one dispatch allows`);
  return [Math.ceil(groups / y), y, 1];
}
