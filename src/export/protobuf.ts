// The few protocol-buffer encodings an ONNX file needs, written by hand (no dependency): varint
// and length-delimited fields, floats and raw bytes. Messages are built inside out: a
// sub-message is encoded first and then embedded as bytes.

const encoder = new TextEncoder();

/** Builds one message's bytes, field by field, in the order fields are added. */
export class Message {
  private readonly parts: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): this {
    this.parts.push(bytes);
    this.length += bytes.length;
    return this;
  }

  private static varint(value: number | bigint): Uint8Array {
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      out.push(byte);
    } while (v !== 0n);
    return Uint8Array.from(out);
  }

  private key(field: number, wireType: number): this {
    return this.push(Message.varint((field << 3) | wireType));
  }

  /** int32, int64, enum or bool (wire type 0). */
  int(field: number, value: number | bigint): this {
    return this.key(field, 0).push(Message.varint(value));
  }

  /** A repeated integer field, one tag per value (the unpacked form every parser reads). */
  ints(field: number, values: readonly number[]): this {
    for (const v of values) this.int(field, v);
    return this;
  }

  /** float (wire type 5, little-endian). */
  float(field: number, value: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    return this.key(field, 5).push(b);
  }

  /** bytes, a string (UTF-8) or an embedded message (wire type 2). */
  bytes(field: number, value: Uint8Array | string | Message): this {
    const b = typeof value === 'string' ? encoder.encode(value) : value instanceof Message ? value.finish() : value;
    return this.key(field, 2).push(Message.varint(b.length)).push(b);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/** A protocol-buffer field as read: its number, wire type and where its payload is. */
export interface Field {
  field: number;
  wire: number;
  /** Varint and fixed values as a number; length-delimited payloads as bytes. */
  value: number | Uint8Array;
}

/** A varint of 8 or more bytes, exactly, as int64 (two's complement: ten bytes of -1 read as -1). */
function wide(bytes: Uint8Array): number {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 7n) | BigInt(bytes[i]! & 0x7f);
  return Number(BigInt.asIntN(64, v));
}

/**
 * Reads a message's fields, trusting nothing: a varint has at most 10 bytes, a length never
 * reaches past the bytes there are, and a failure says where — so a hostile or truncated file
 * can neither make the reader allocate from a length it declares nor loop.
 */
export function readFields(bytes: Uint8Array, what: string, error: (message: string) => Error): Field[] {
  const fields: Field[] = [];
  let at = 0;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    const start = at;
    for (let i = 0; i < 10; i++) {
      if (at >= bytes.length) throw error(`${what}: truncated inside a varint at byte ${at}`);
      const b = bytes[at++]!;
      result += (b & 0x7f) * scale;
      if (!(b & 0x80)) return i < 7 ? result : wide(bytes.subarray(start, at));
      scale *= 128;
    }
    throw error(`${what}: a varint longer than 10 bytes at byte ${at}`);
  };
  while (at < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field < 1) throw error(`${what}: field number ${field} at byte ${at}`);
    if (wire === 0) fields.push({ field, wire, value: varint() });
    else if (wire === 2) {
      const length = varint();
      if (length > bytes.length - at) throw error(`${what}: field ${field} declares ${length} bytes, only ${bytes.length - at} remain`);
      fields.push({ field, wire, value: bytes.subarray(at, at + length) });
      at += length;
    } else if (wire === 5 || wire === 1) {
      const size = wire === 5 ? 4 : 8;
      if (size > bytes.length - at) throw error(`${what}: truncated inside a fixed field at byte ${at}`);
      const view = new DataView(bytes.buffer, bytes.byteOffset + at, size);
      fields.push({ field, wire, value: wire === 5 ? view.getFloat32(0, true) : view.getFloat64(0, true) });
      at += size;
    } else throw error(`${what}: unsupported wire type ${wire} at byte ${at}`);
  }
  return fields;
}
