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
