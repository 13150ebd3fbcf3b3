// Reads a kernel's bindings and uniform struct out of its WGSL, so the WGSL stays the one source
// of truth for binding numbers and uniform offsets and the TypeScript never restates them.

/** One `@group(g) @binding(b) var<…> name: type;` declaration. */
export interface BindingDecl {
  group: number;
  binding: number;
  name: string;
  /** 'uniform', 'read-only-storage' or 'storage' (read_write), as GPUBufferBindingType spells them. */
  type: GPUBufferBindingType;
  /** The declared WGSL type, e.g. `array<f32>` or `MatmulParams`. */
  wgslType: string;
}

/** Byte layout of a uniform struct made of 4-byte scalars (u32, i32, f32). */
export interface UniformLayout {
  struct: string;
  /** Field names in declaration order with their WGSL scalar type and byte offset. */
  fields: { name: string; type: 'u32' | 'i32' | 'f32'; offset: number }[];
  /** Size in bytes, rounded up to the struct's 16-byte uniform alignment. */
  size: number;
}

export function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
}

const BINDING_RE =
  /@group\(\s*(\d+)\s*\)\s*@binding\(\s*(\d+)\s*\)\s*var\s*<\s*([\w\s,]+?)\s*>\s*(\w+)\s*:\s*([^;]+?)\s*;/g;

export function parseBindings(source: string): BindingDecl[] {
  const decls: BindingDecl[] = [];
  for (const m of stripComments(source).matchAll(BINDING_RE)) {
    const space = m[3]!.split(',').map((s) => s.trim());
    let type: GPUBufferBindingType;
    if (space[0] === 'uniform') type = 'uniform';
    else if (space[0] === 'storage') type = space[1] === 'read_write' ? 'storage' : 'read-only-storage';
    else throw new Error(`unsupported address space <${m[3]}> for binding ${m[4]}`);
    decls.push({ group: +m[1]!, binding: +m[2]!, name: m[4]!, type, wgslType: m[5]! });
  }
  return decls.sort((x, y) => x.group - y.group || x.binding - y.binding);
}

const CONSTANT_RE = /\bconst\s+([A-Z][A-Z0-9_]*)\s*(?::\s*(?:u32|i32))?\s*=\s*(-?\d+)[ui]?\s*;/g;

/**
 * The module-scope integer constants named in capitals (`const HEAD_SOFTMAX: u32 = 2u;`): the
 * codes and layouts a kernel shares with its TypeScript, read from the WGSL rather than restated.
 */
export function parseConstants(source: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of stripComments(source).matchAll(CONSTANT_RE)) {
    if (out.has(m[1]!)) throw new Error(`constant ${m[1]} is declared twice`);
    out.set(m[1]!, Number(m[2]));
  }
  return out;
}

/** Constant `name` of `source` (parseConstants); throws when the WGSL has no such constant. */
export function wgslConstant(source: string, name: string): number {
  const v = parseConstants(source).get(name);
  if (v === undefined) throw new Error(`the WGSL declares no constant ${name}`);
  return v;
}

export function parseUniformLayout(source: string, structName: string): UniformLayout {
  const body = new RegExp(`struct\\s+${structName}\\s*\\{([^}]*)\\}`).exec(stripComments(source));
  if (!body) throw new Error(`struct ${structName} not found`);
  const fields: UniformLayout['fields'] = [];
  for (const raw of body[1]!.split(',')) {
    const field = raw.trim();
    if (!field) continue;
    const m = /^(\w+)\s*:\s*(\w+)$/.exec(field);
    if (!m || !['u32', 'i32', 'f32'].includes(m[2]!)) {
      throw new Error(`struct ${structName}: field "${field}" is not a 4-byte scalar; only u32, i32, f32 are supported`);
    }
    fields.push({ name: m[1]!, type: m[2] as 'u32' | 'i32' | 'f32', offset: 4 * fields.length });
  }
  return { struct: structName, fields, size: Math.max(16, Math.ceil((4 * fields.length) / 16) * 16) };
}

/**
 * Packs `values` by field name into the struct's bytes. Every field must be given and no
 * other name is accepted, so a field renamed in WGSL cannot silently read as zero.
 */
export function packUniform(layout: UniformLayout, values: Record<string, number>, who: string): ArrayBuffer {
  const bytes = new ArrayBuffer(layout.size);
  const view = new DataView(bytes);
  const known = new Set(layout.fields.map((f) => f.name));
  for (const name of Object.keys(values)) {
    if (!known.has(name)) throw new Error(`${who}: ${layout.struct} has no field "${name}"`);
  }
  for (const f of layout.fields) {
    const v = values[f.name];
    if (v === undefined) throw new Error(`${who}: ${layout.struct}.${f.name} was not given`);
    if (f.type === 'f32') view.setFloat32(f.offset, v, true);
    else if (f.type === 'u32') {
      if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
        throw new Error(`${who}: ${layout.struct}.${f.name} must be a u32, got ${v}`);
      }
      view.setUint32(f.offset, v, true);
    } else view.setInt32(f.offset, v, true);
  }
  return bytes;
}

/**
 * `rows` packed as a storage array of `layout`'s struct, whose fields are all 4-byte scalars (the
 * array's stride is then 4 bytes a field, with no padding): each row as packUniform packs it.
 */
export function packStructArray(layout: UniformLayout, rows: readonly Record<string, number>[], who: string): Uint8Array<ArrayBuffer> {
  const stride = 4 * layout.fields.length;
  const bytes = new Uint8Array(stride * rows.length);
  rows.forEach((values, i) => bytes.set(new Uint8Array(packUniform(layout, values, who), 0, stride), stride * i));
  return bytes;
}
