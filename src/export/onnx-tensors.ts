// The tensors of an untrusted ONNX file (./onnx-load.ts): dims checked, every length against the
// bytes present. FLOAT tensors (raw_data, or float_data packed or one per field) hold Θ and the
// normalisation; 1-D INT64 tensors (raw_data) the column indices of polynomial features (./onnx-polynomial.ts).

import { ArgumentError } from '../gpu/errors.js';
import { type Field, readFields } from './protobuf.js';

const fail = (message: string) => new ArgumentError('onnx', message);
const decoder = new TextDecoder('utf-8', { fatal: false });
/** Largest tensor read: 2²⁶ floats (256 MiB), far above any model this library trains. */
const MAX_TENSOR = 1 << 26;
const strings = (fields: Field[], n: number) => fields.filter((f) => f.field === n && f.wire === 2).map((f) => decoder.decode(f.value as Uint8Array));
const messages = (fields: Field[], n: number) => fields.filter((f) => f.field === n && f.wire === 2).map((f) => f.value as Uint8Array);
const int = (fields: Field[], n: number) => fields.find((f) => f.field === n && f.wire === 0)?.value as number | undefined;
const FLOAT = 1;
const INT64 = 7;

/** A packed repeated varint field (how other writers store dims): at most 10 bytes per value. */
function packedVarints(bytes: Uint8Array, what: string): number[] {
  const out: number[] = [];
  let at = 0;
  while (at < bytes.length) {
    let v = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (i === 10 || at >= bytes.length) throw fail(`${what}: a broken packed varint`);
      const b = bytes[at++]!;
      v += (b & 0x7f) * scale;
      scale *= 128;
      if (!(b & 0x80)) break;
    }
    out.push(v);
    if (out.length > 8) throw fail(`${what}: more than 8 dims`);
  }
  return out;
}

export function readTensor(bytes: Uint8Array): { name: string; dims: number[]; data: Float32Array; int64?: true } {
  const f = readFields(bytes, 'a tensor', fail);
  const name = strings(f, 8)[0] ?? '';
  const dims: number[] = [];
  for (const d of f.filter((x) => x.field === 1)) {
    if (d.wire === 0) dims.push(d.value as number);
    else if (d.wire === 2) for (const v of packedVarints(d.value as Uint8Array, `tensor ${name} dims`)) dims.push(v);
  }
  const type = int(f, 2);
  if (type !== FLOAT && !(type === INT64 && dims.length === 1)) throw fail(`tensor ${name}: data type ${type} is not FLOAT (1)${dims.length === 1 ? ' or INT64 (7)' : ''}`);
  if (dims.length < 1 || dims.length > 2 || !dims.every((d) => Number.isInteger(d) && d >= 1 && d <= 1 << 24)) throw fail(`tensor ${name}: dims ${JSON.stringify(dims)} are not 1 or 2 sizes from 1 to 2²⁴`);
  const count = dims.reduce((a, b) => a * b, 1);
  if (count > MAX_TENSOR) throw fail(`tensor ${name}: ${count} values is over the ${MAX_TENSOR} read`);
  return type === INT64 ? { name, dims, data: int64Data(f, name, count), int64: true } : { name, dims, data: tensorData(f, name, dims, count) };
}

/** An INT64 tensor's values from raw_data (8 little-endian bytes each), each from 0 to 2²⁴. */
function int64Data(f: Field[], name: string, count: number): Float32Array {
  const raw = messages(f, 9)[0];
  if (!raw || raw.length !== 8 * count) throw fail(`tensor ${name}: ${count} INT64 values need ${8 * count} bytes of raw_data, the file has ${raw?.length ?? 'none'}`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const v = view.getBigInt64(8 * i, true);
    if (v < 0n || v > 1n << 24n) throw fail(`tensor ${name}: index ${v} is not from 0 to 2²⁴`);
    data[i] = Number(v);
  }
  return data;
}

/** A float tensor's values: raw_data (little-endian bytes), or float_data packed or one per field. */
function tensorData(f: Field[], name: string, dims: number[], count: number): Float32Array {
  const raw = messages(f, 9)[0];
  const packed = messages(f, 4);
  const single = f.filter((x) => x.field === 4 && x.wire === 5).map((x) => x.value as number);
  if (raw && (packed.length || single.length)) throw fail(`tensor ${name}: both raw_data and float_data`);
  if (!raw) {
    const values = packed.length ? packed.reduce((n, p) => n + p.length / 4, 0) : single.length;
    if (values !== count || packed.some((p) => p.length % 4 !== 0)) throw fail(`tensor ${name}: dims ${dims.join('×')} need ${count} floats, float_data holds ${values}`);
    if (!packed.length) return Float32Array.from(single);
  }
  const chunks = raw ? [raw] : packed;
  if (raw && raw.length !== 4 * count) throw fail(`tensor ${name}: dims ${dims.join('×')} need ${4 * count} bytes of raw data, the file has ${raw.length}`);
  // Copied out of the file's bytes (which may sit at any alignment): allocation follows the bytes present.
  const data = new Float32Array(count);
  let i = 0;
  for (const c of chunks) {
    const view = new DataView(c.buffer, c.byteOffset, c.byteLength);
    for (let k = 0; k + 4 <= c.length; k += 4) data[i++] = view.getFloat32(k, true);
  }
  return data;
}
