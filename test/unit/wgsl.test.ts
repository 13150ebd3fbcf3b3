// The WGSL is the source of truth for bindings and uniform layouts: these tests read every
// shader the way the runtime does and check what the TypeScript relies on.

import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, ACTIVATION_NAMES } from '../../src/activations.js';
import { packUniform, parseBindings, parseConstants, parseUniformLayout, stripComments } from '../../src/gpu/wgsl.js';

const shader = (name: string) => readFileSync(new URL(`../../shaders/${name}`, import.meta.url), 'utf8');

describe('WGSL files', () => {
  const kernels = readdirSync(new URL('../../shaders/', import.meta.url)).filter((f) => f.endsWith('.wgsl'));

  it('every kernel opens with a comment and declares its bindings in a header table', () => {
    expect(kernels.sort()).toEqual([
      'activation.wgsl', 'activation_gradient.wgsl', 'batch_gather.wgsl', 'confusion.wgsl', 'cost_surface.wgsl', 'design_matrix.wgsl', 'epoch_end.wgsl', 'epoch_end_stacked.wgsl', 'feature_stats.wgsl',
      'image_to_digit.wgsl', 'matmul.wgsl', 'matmul_blocked.wgsl', 'matmul_direct.wgsl', 'matmul_split.wgsl', 'optimizer_update.wgsl', 'optimizer_update_stacked.wgsl', 'output_delta.wgsl',
    ]);
    for (const file of [...kernels, 'lib/gemm.wgsl', 'lib/epoch.wgsl']) {
      const src = shader(file);
      expect(src.startsWith('//'), file).toBe(true);
      for (const b of parseBindings(src)) {
        expect(src, `${file} header lists ${b.name}`).toMatch(new RegExp(`// \\| ${b.group}\\s+\\| ${b.binding}\\s+\\| ${b.name}\\s`));
      }
    }
  });

  it('plot shaders: each opens with a comment, lists its bindings, and packs a uniform of 4-byte scalars', () => {
    const plots = readdirSync(new URL('../../shaders/plot/', import.meta.url)).filter((f) => f.endsWith('.wgsl')).sort();
    expect(plots).toEqual(['edges.wgsl', 'heatmap.wgsl', 'image_grid.wgsl', 'line.wgsl', 'space.wgsl']);
    const structs: Record<string, string> = { 'edges.wgsl': 'EdgeParams', 'heatmap.wgsl': 'HeatmapParams', 'image_grid.wgsl': 'GridParams', 'line.wgsl': 'LineParams' };
    for (const file of plots) {
      const src = shader(`plot/${file}`);
      expect(src.startsWith('//'), file).toBe(true);
      for (const b of parseBindings(src)) {
        expect(src, `${file} header lists ${b.name}`).toMatch(new RegExp(`// \\| ${b.group}\\s+\\| ${b.binding}\\s+\\| ${b.name}\\s`));
      }
      if (structs[file]) expect(parseUniformLayout(src, structs[file]).size % 16, file).toBe(0);
    }
  });

  it('src/kernels/ mirrors shaders/: each compute kernel has its TypeScript half of the same name (activation_gradient beside activation)', () => {
    const halves = readdirSync(new URL('../../src/kernels/', import.meta.url)).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));
    const shaders = kernels.map((f) => f.replace(/\.wgsl$/, '')).filter((k) => k !== 'activation_gradient');
    expect(halves.sort()).toEqual(shaders.sort());
    const activationHalf = readFileSync(new URL('../../src/kernels/activation.ts', import.meta.url), 'utf8');
    expect(activationHalf).toContain('shaders/activation_gradient.wgsl');
  });

  it('every activation file holds the pair the kernels link, and nothing else: fn activation(z) and fn activation_gradient(s)', () => {
    const files = readdirSync(new URL('../../shaders/activations/', import.meta.url)).filter((f) => f.endsWith('.wgsl')).map((f) => f.replace(/\.wgsl$/, ''));
    expect(files.sort()).toEqual([...ACTIVATION_NAMES].sort());
    for (const name of ACTIVATION_NAMES) {
      const src = shader(`activations/${name}.wgsl`);
      expect(src.startsWith('//'), name).toBe(true);
      const fns = [...stripComments(src).matchAll(/\bfn\s+(\w+)/g)].map((m) => m[1]);
      expect(fns, name).toEqual(['activation', 'activation_gradient']);
      expect(parseBindings(src), name).toEqual([]);
      // The registry links this very file, last.
      expect(ACTIVATIONS[name].wgsl.at(-1), name).toBe(src);
    }
  });

  it('codes and layouts shared with the TypeScript are WGSL constants: HEAD_*, METHOD_*, STATE_*, STATS_*, GATHER_COLS', () => {
    const heads = parseConstants(shader('output_delta.wgsl'));
    expect([...heads.keys()].filter((k) => k.startsWith('HEAD_')).sort()).toEqual(['HEAD_LINEAR', 'HEAD_LOGISTIC', 'HEAD_SIGMOID', 'HEAD_SOFTMAX']);
    expect(new Set([...heads.values()]).size).toBe(4);
    const methods = parseConstants(shader('lib/optimizer.wgsl'));
    expect([...methods.keys()].sort()).toEqual(['METHOD_ADAM', 'METHOD_GRADIENT', 'METHOD_MOMENTUM', 'METHOD_SGD']);
    expect(new Set([...methods.values()]).size).toBe(4);
    const state = parseConstants(shader('lib/state.wgsl'));
    const slots = [...state.entries()].filter(([k]) => k.startsWith('STATE_') && k !== 'STATE_SIZE').map(([, v]) => v);
    expect(new Set(slots).size).toBe(slots.length);
    expect(Math.max(...slots)).toBeLessThan(state.get('STATE_SIZE')!);
    const stats = parseConstants(shader('lib/stats.wgsl'));
    expect([stats.get('STATS_SUM'), stats.get('STATS_MEAN'), stats.get('STATS_SQUARES'), stats.get('STATS_STD')].sort()).toEqual([0, 1, 2, 3]);
    expect(stats.get('STATS_BLOCKS')).toBe(4);
    expect(parseConstants(shader('batch_gather.wgsl')).get('GATHER_COLS')).toBeGreaterThan(0);
    // No kernel restates a state index or stats offset as a bare number any more.
    for (const file of ['epoch_end.wgsl', 'epoch_end_stacked.wgsl', 'lib/epoch.wgsl', 'optimizer_update.wgsl', 'optimizer_update_stacked.wgsl']) expect(stripComments(shader(file)), file).not.toMatch(/state\[\d/);
    for (const file of ['feature_stats.wgsl', 'design_matrix.wgsl']) expect(stripComments(shader(file)), file).not.toMatch(/stats\[(\d|n)/);
  });

  it('a model moves alike alone and stacked: both update kernels call lib/optimizer.wgsl\'s update() and step no parameter themselves; the stacked one\'s structs are 4-byte scalars', () => {
    for (const file of ['optimizer_update.wgsl', 'optimizer_update_stacked.wgsl']) {
      const code = stripComments(shader(file));
      expect(code, file).toMatch(/\bupdate\(/);
      expect(code, file).not.toMatch(/\bfn\s+update\b|theta\[[^\]]*\]\s*-=/);
    }
    expect(stripComments(shader('lib/optimizer.wgsl'))).toMatch(/\bfn\s+update\b/);
    const stacked = shader('optimizer_update_stacked.wgsl');
    expect(parseUniformLayout(stacked, 'ModelSettings').fields.map((f) => f.name)).toEqual(['lambda_over_m', 'beta1', 'beta2', 'epsilon', 'method', 'unused0', 'unused1', 'unused2']);
    expect(parseUniformLayout(stacked, 'ModelStep').fields.map((f) => `${f.name}:${f.type}`)).toEqual(['rate:f32', 't:u32']);
  });

  it('a model ends its epochs alike alone and in a group: both epoch-end kernels call lib/epoch.wgsl\'s end_epoch() and guard nothing themselves; the settings array\'s EpochParams is 4-byte scalars', () => {
    for (const file of ['epoch_end.wgsl', 'epoch_end_stacked.wgsl']) {
      const code = stripComments(shader(file));
      expect(code, file).toMatch(/\bend_epoch\(/);
      expect(code, file).not.toMatch(/\bfn\s+(end_epoch|guard_divergence|watch_validation)\b|history\[|theta_good\[/);
    }
    const layout = parseUniformLayout(shader('lib/epoch.wgsl'), 'EpochParams');
    expect(layout.fields.every((f, i) => f.offset === 4 * i && ['u32', 'f32'].includes(f.type))).toBe(true);
  });

  it('parseConstants reads module-scope integer constants in capitals, and refuses one declared twice', () => {
    expect([...parseConstants('const A_B: u32 = 3u; const lower = 2u; // const C = 9u;\nconst D = -4;').entries()]).toEqual([['A_B', 3], ['D', -4]]);
    expect(() => parseConstants('const X = 1u; const X = 2u;')).toThrow('declared twice');
  });

  it('elementwise kernels read binding 0 and write binding 1 (the order kernels/activation.ts relies on)', () => {
    for (const file of ['activation.wgsl', 'activation_gradient.wgsl']) {
      const [input, output, params] = parseBindings(shader('lib/elementwise.wgsl') + shader(file));
      expect(input!.type, file).toBe('read-only-storage');
      expect(output!.type, file).toBe('storage');
      expect(params!.type, file).toBe('uniform');
    }
  });

  it('matmul: every multiply kernel the same six bindings (the tiled one also a and b again as vec4s) and a 28-field uniform of 4-byte scalars (112 bytes as bound)', () => {
    const gemm = shader('lib/gemm.wgsl');
    const six = ['0:a:read-only-storage', '1:b:read-only-storage', '2:c:storage', '3:bias:read-only-storage', '4:params:uniform', '5:saved:storage'];
    expect(parseBindings(gemm + shader('matmul.wgsl')).map((b) => `${b.binding}:${b.name}:${b.type}`)).toEqual([...six, '6:a4:read-only-storage', '7:b4:read-only-storage']);
    for (const other of ['matmul_blocked.wgsl', 'matmul_direct.wgsl', 'matmul_split.wgsl']) expect(parseBindings(gemm + shader(other)).map((b) => `${b.binding}:${b.name}:${b.type}`)).toEqual(six);
    const layout = parseUniformLayout(gemm, 'MatmulParams');
    expect(layout.fields.map((f) => f.name)).toEqual([
      'm', 'n', 'k', 'a_offset', 'a_stride', 'b_offset', 'b_stride', 'c_offset', 'c_stride',
      'bias_offset', 'bias_stride', 'alpha', 'beta', 'saved_offset', 'saved_stride', 'k_slice', 'slices', 'trans',
      'batch_a', 'batch_b', 'batch_c', 'batch_bias', 'batch_saved', 'c_group', 'c_group_stride', 'batches', 'repeat_a', 'repeat_b',
    ]);
    expect(layout.fields.find((f) => f.name === 'beta')).toEqual({ name: 'beta', type: 'f32', offset: 48 });
    expect(layout.size).toBe(112);
  });

  it('step-driven kernels take the StepRecord alone in group 1 (bound at a dynamic offset)', () => {
    const step = parseUniformLayout(shader('lib/step.wgsl'), 'StepRecord');
    expect(step.fields.map((f) => f.name)).toEqual(['epoch', 'position', 'count', 't', 'rate']);
    expect(step.size).toBe(32);
    for (const file of ['batch_gather.wgsl', 'output_delta.wgsl', 'optimizer_update.wgsl', 'optimizer_update_stacked.wgsl', 'epoch_end.wgsl', 'epoch_end_stacked.wgsl']) {
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
