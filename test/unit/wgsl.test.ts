// The WGSL is the source of truth for bindings and uniform layouts: these tests read every
// shader the way the runtime does and check what the TypeScript relies on.

import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packUniform, parseBindings, parseUniformLayout } from '../../src/gpu/wgsl.js';

const shader = (name: string) => readFileSync(new URL(`../../shaders/${name}`, import.meta.url), 'utf8');

describe('WGSL files', () => {
  const kernels = readdirSync(new URL('../../shaders/', import.meta.url)).filter((f) => f.endsWith('.wgsl'));

  it('every kernel opens with a comment and declares its bindings in a header table', () => {
    expect(kernels.sort()).toEqual([
      'batch_gather.wgsl', 'design_matrix.wgsl', 'epoch_end.wgsl', 'feature_stats.wgsl', 'image_to_digit.wgsl', 'matmul.wgsl',
      'optimizer_update.wgsl', 'output_delta.wgsl', 'sigmoid.wgsl', 'sigmoid_derivative.wgsl',
    ]);
    for (const file of kernels) {
      const src = shader(file);
      expect(src.startsWith('//'), file).toBe(true);
      for (const b of parseBindings(src)) {
        expect(src, `${file} header lists ${b.name}`).toMatch(new RegExp(`// \\| ${b.group}\\s+\\| ${b.binding}\\s+\\| ${b.name}\\s`));
      }
    }
  });

  it('plot shaders: each opens with a comment, lists its bindings, and packs a uniform of 4-byte scalars', () => {
    const plots = readdirSync(new URL('../../shaders/plot/', import.meta.url)).filter((f) => f.endsWith('.wgsl')).sort();
    expect(plots).toEqual(['heatmap.wgsl', 'image_grid.wgsl', 'line.wgsl', 'space.wgsl']);
    const structs: Record<string, string> = { 'heatmap.wgsl': 'HeatmapParams', 'image_grid.wgsl': 'GridParams', 'line.wgsl': 'LineParams' };
    for (const file of plots) {
      const src = shader(`plot/${file}`);
      expect(src.startsWith('//'), file).toBe(true);
      for (const b of parseBindings(src)) {
        expect(src, `${file} header lists ${b.name}`).toMatch(new RegExp(`// \\| ${b.group}\\s+\\| ${b.binding}\\s+\\| ${b.name}\\s`));
      }
      if (structs[file]) expect(parseUniformLayout(src, structs[file]).size % 16, file).toBe(0);
    }
  });

  it('elementwise kernels read binding 0 and write binding 1 (the order sigmoid.ts relies on)', () => {
    for (const file of ['sigmoid.wgsl', 'sigmoid_derivative.wgsl']) {
      const [input, output, params] = parseBindings(shader('lib/elementwise.wgsl') + shader(file));
      expect(input!.type, file).toBe('read-only-storage');
      expect(output!.type, file).toBe('storage');
      expect(params!.type, file).toBe('uniform');
    }
  });

  it('matmul: six bindings and a 15-field uniform of 4-byte scalars, 64 bytes', () => {
    const src = shader('matmul.wgsl');
    expect(parseBindings(src).map((b) => `${b.binding}:${b.name}:${b.type}`)).toEqual([
      '0:a:read-only-storage',
      '1:b:read-only-storage',
      '2:c:storage',
      '3:bias:read-only-storage',
      '4:params:uniform',
      '5:gate:read-only-storage',
    ]);
    const layout = parseUniformLayout(src, 'MatmulParams');
    expect(layout.fields.map((f) => f.name)).toEqual([
      'm', 'n', 'k', 'a_offset', 'a_stride', 'b_offset', 'b_stride', 'c_offset', 'c_stride',
      'bias_offset', 'bias_stride', 'alpha', 'beta', 'gate_offset', 'gate_stride',
    ]);
    expect(layout.fields.find((f) => f.name === 'beta')).toEqual({ name: 'beta', type: 'f32', offset: 48 });
    expect(layout.size).toBe(64);
  });

  it('step-driven kernels take the StepRecord alone in group 1 (bound at a dynamic offset)', () => {
    const step = parseUniformLayout(shader('lib/step.wgsl'), 'StepRecord');
    expect(step.fields.map((f) => f.name)).toEqual(['epoch', 'position', 'count', 't']);
    expect(step.size).toBe(16);
    for (const file of ['batch_gather.wgsl', 'output_delta.wgsl', 'optimizer_update.wgsl', 'epoch_end.wgsl']) {
      const group1 = parseBindings(shader(file)).filter((b) => b.group === 1);
      expect(group1.map((b) => `${b.binding}:${b.name}:${b.type}:${b.wgslType}`), file).toEqual(['0:step:uniform:StepRecord']);
    }
  });
});

describe('packUniform', () => {
  const layout = parseUniformLayout('struct P { count: u32, scale: f32, shift: i32 }', 'P');

  it('writes each field at its offset with its type', () => {
    const view = new DataView(packUniform(layout, { count: 7, scale: 0.5, shift: -3 }, 't'));
    expect([view.getUint32(0, true), view.getFloat32(4, true), view.getInt32(8, true), view.byteLength]).toEqual([7, 0.5, -3, 16]);
  });

  it('rejects a missing field, an unknown field and a negative u32', () => {
    expect(() => packUniform(layout, { count: 1, scale: 1 }, 't')).toThrow('P.shift was not given');
    expect(() => packUniform(layout, { count: 1, scale: 1, shift: 0, extra: 1 }, 't')).toThrow('no field "extra"');
    expect(() => packUniform(layout, { count: -1, scale: 1, shift: 0 }, 't')).toThrow('P.count must be a u32');
  });

  it('rejects struct fields that are not 4-byte scalars', () => {
    expect(() => parseUniformLayout('struct Q { v: vec3f }', 'Q')).toThrow('not a 4-byte scalar');
  });
});
