// The structure of an ONNX file, checked whole before it is read: ONNX Runtime parses every
// message of the model with the full ONNX schema and refuses the file when any of them is
// malformed, so a reader that parsed only the parts it needs would accept files ONNX Runtime
// refuses. This walks every field of every message of the kinds this library reads (the
// schema below, from onnx.proto) the way a protobuf parser does: each embedded message must
// parse; a singular field the library reads must not repeat (protobuf would merge or overwrite
// it); the messages the library never reads — functions, sparse tensors, training information —
// are refused by name, and so is any field the schema does not list: a newer ONNX may define it
// as a message that ONNX Runtime parses, and this reader cannot know.

import { ArgumentError } from '../gpu/errors.js';
import { type Field, readFields } from './protobuf.js';

interface Entry {
  /** The embedded message type, for a length-delimited field. */
  message?: string;
  /** Singular (not repeated): may appear once. */
  once?: boolean;
  /** A field of a kind the library does not read: its presence refuses the file. */
  refuse?: string;
}

const str: Entry = { once: true };
const many: Entry = {};
const SCHEMA: Record<string, Record<number, Entry>> = {
  ModelProto: {
    1: str, 2: str, 3: str, 4: str, 5: str, 6: str, 7: { message: 'GraphProto', once: true }, 8: { message: 'OperatorSetIdProto' }, 14: { message: 'StringStringEntryProto' },
    20: { refuse: 'training information' }, 25: { refuse: 'functions' }, 26: { refuse: 'configuration' },
  },
  GraphProto: {
    1: { message: 'NodeProto' }, 2: str, 5: { message: 'TensorProto' }, 10: str, 11: { message: 'ValueInfoProto' }, 12: { message: 'ValueInfoProto' }, 13: { message: 'ValueInfoProto' },
    14: { refuse: 'quantization annotations' }, 15: { refuse: 'sparse initializers' }, 16: { message: 'StringStringEntryProto' },
  },
  NodeProto: { 1: many, 2: many, 3: str, 4: str, 5: { message: 'AttributeProto' }, 6: str, 7: str, 8: str, 9: { message: 'StringStringEntryProto' } },
  AttributeProto: {
    1: str, 2: str, 3: str, 4: str, 5: { message: 'TensorProto', once: true }, 6: { message: 'GraphProto', once: true }, 7: many, 8: many, 9: many, 10: { message: 'TensorProto' }, 11: { message: 'GraphProto' },
    13: str, 14: { message: 'TypeProto', once: true }, 15: { message: 'TypeProto' }, 20: str, 21: str, 22: { refuse: 'sparse tensors' }, 23: { refuse: 'sparse tensors' },
  },
  TensorProto: {
    1: many, 2: str, 3: { refuse: 'tensor segments' }, 4: many, 5: many, 6: many, 7: many, 8: str, 9: str, 10: many, 11: many, 12: str,
    13: { refuse: 'external data' }, 14: str, 16: { message: 'StringStringEntryProto' },
  },
  ValueInfoProto: { 1: str, 2: { message: 'TypeProto', once: true }, 3: str, 4: { message: 'StringStringEntryProto' } },
  TypeProto: { 1: { message: 'TypeProto.Tensor', once: true }, 4: { refuse: 'sequence types' }, 5: { refuse: 'map types' }, 6: str, 8: { refuse: 'sparse tensor types' }, 9: { refuse: 'optional types' } },
  'TypeProto.Tensor': { 1: str, 2: { message: 'TensorShapeProto', once: true } },
  TensorShapeProto: { 1: { message: 'Dimension' } },
  Dimension: { 1: str, 2: str, 3: str },
  OperatorSetIdProto: { 1: str, 2: str },
  StringStringEntryProto: { 1: str, 2: str },
};

/** Throws ArgumentError('onnx', …) unless every message of the file parses by the schema. */
export function checkOnnxStructure(bytes: Uint8Array): void {
  const fail = (message: string) => new ArgumentError('onnx', message);
  const walk = (data: Uint8Array, type: string, path: string, depth: number): void => {
    if (depth > 16) throw fail(`${path}: messages nested more than 16 deep`);
    const fields: Field[] = readFields(data, path, fail);
    const schema = SCHEMA[type]!;
    const seen = new Set<number>();
    for (const f of fields) {
      const entry = schema[f.field];
      if (!entry) throw fail(`${path} holds field ${f.field}, which is not one the library reads`);
      if (entry.refuse) throw fail(`${path} holds ${entry.refuse} (field ${f.field}), which the library does not read`);
      if (entry.once) {
        if (seen.has(f.field)) throw fail(`${path}: field ${f.field} appears twice (a protobuf reader would merge or overwrite it)`);
        seen.add(f.field);
      }
      // A known field with another wire type is kept as an unknown field by protobuf, never parsed.
      if (entry.message && f.wire === 2) walk(f.value as Uint8Array, entry.message, `${path} > ${entry.message}`, depth + 1);
    }
  };
  walk(bytes, 'ModelProto', 'the model', 0);
}
