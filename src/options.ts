// Every options object of the public API is described by a table: each option's name and its
// kind — its type, and its range where the range does not depend on the data or on other
// options. A public function calls checkOptions() with its table before it reads, allocates or
// changes anything: an unknown name is refused naming the closest valid one (src/keys.ts), a
// value of the wrong kind with an ArgumentError naming the option by its path
// (`options.earlyStopping.patience`, `options.series[2].color`), a required one that is missing
// likewise. What depends on the rest — a batch size against the examples, a buffer's size
// against the data — the function checks after. Each table is registered in OPTION_TABLES, so
// a test tries every option of every table with a value of each wrong kind.

import { ArgumentError } from './gpu/errors.js';
import { isF32, isF32NonNegative, isF32Positive } from './gpu/f32.js';
import { isGpuBuffer } from './gpu/matrix.js';
import { checkKeys } from './keys.js';
import { show } from './show.js';

export { show } from './show.js';

/** What an option's value must be. `type` is the JavaScript shape it takes (the test's key to wrong values). */
export type OptionKind =
  | { type: 'boolean'; required?: boolean }
  | { type: 'number'; expected: string; ok: (v: number) => boolean; required?: boolean }
  | { type: 'string'; expected: string; ok: (v: string) => boolean; required?: boolean }
  | { type: 'function'; required?: boolean }
  | { type: 'signal'; required?: boolean }
  | { type: 'buffer'; required?: boolean }
  | { type: 'instance'; expected: string; ok: (v: object) => boolean; required?: boolean }
  | { type: 'object'; table: OptionTable; expected: string; required?: boolean }
  | { type: 'record'; of: OptionKind; expected: string; required?: boolean }
  | { type: 'array'; of: OptionKind; min: number; max: number; required?: boolean }
  | { type: 'tuple'; of: readonly OptionKind[]; required?: boolean }
  | { type: 'oneOf'; kinds: readonly OptionKind[]; expected: string; required?: boolean }
  | { type: 'data'; expected: string; required?: boolean };

/** The kinds of every option of an options type T: the type makes the list complete. */
export type OptionTable<T = Record<string, unknown>> = { readonly [K in keyof T]-?: OptionKind };

/** The kinds options are made of. */
export const kinds = {
  boolean: { type: 'boolean' } as OptionKind,
  /** A number that `ok` accepts, described as `expected` ("a number > 0"). */
  number: (expected: string, ok: (v: number) => boolean): OptionKind => ({ type: 'number', expected, ok }),
  integer: (min: number, max: number, unit = ''): OptionKind =>
    kinds.number(`an integer from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}${unit}`, (v) => Number.isInteger(v) && v >= min && v <= max),
  /** > 0 and a normal float32: a step, a divisor, a scale. */
  f32Positive: (what = ''): OptionKind => kinds.number(`a number > 0 that float32 holds as a normal number${what}`, isF32Positive),
  f32NonNegative: (what = ''): OptionKind => kinds.number(`a number ≥ 0 finite in float32${what}`, isF32NonNegative),
  f32: (what = ''): OptionKind => kinds.number(`a number finite in float32${what}`, isF32),
  /** One of `values`. */
  choice: (values: readonly string[]): OptionKind => ({ type: 'string', expected: values.map((v) => `'${v}'`).join(', ').replace(/, ([^,]*)$/, ' or $1'), ok: (v) => values.includes(v) }),
  /** Any string. */
  text: { type: 'string', expected: 'a string', ok: () => true } as OptionKind,
  /** A non-empty string. */
  name: { type: 'string', expected: 'a non-empty string', ok: (v: string) => v.length > 0 } as OptionKind,
  function: { type: 'function' } as OptionKind,
  signal: { type: 'signal' } as OptionKind,
  buffer: { type: 'buffer' } as OptionKind,
  /** An object of another library (a GPUDevice, a GPU, a GPUTexture), recognised by `ok`. */
  instance: (expected: string, ok: (v: object) => boolean): OptionKind => ({ type: 'instance', expected, ok }),
  object: <T>(table: OptionTable<T>, expected = `an object { ${Object.keys(table).join(', ')} }`): OptionKind => ({ type: 'object', table: table as OptionTable, expected }),
  record: (of: OptionKind, expected: string): OptionKind => ({ type: 'record', of, expected }),
  array: (of: OptionKind, min = 0, max = 2 ** 32 - 1): OptionKind => ({ type: 'array', of, min, max }),
  tuple: (...of: OptionKind[]): OptionKind => ({ type: 'tuple', of }),
  oneOf: (expected: string, ...alternatives: OptionKind[]): OptionKind => ({ type: 'oneOf', kinds: alternatives, expected }),
  /** Examples, targets, labels: an object or array that the function's own reader checks (and names) in full. */
  data: (expected: string): OptionKind => ({ type: 'data', expected }),
  required: (kind: OptionKind): OptionKind => ({ ...kind, required: true }),
};

/** What a kind is, in words: the end of "must be …". */
export function describeKind(kind: OptionKind): string {
  switch (kind.type) {
    case 'boolean':
      return 'true or false';
    case 'function':
      return 'a function';
    case 'signal':
      return 'an AbortSignal';
    case 'buffer':
      return 'a GPUBuffer';
    case 'array':
      return `an array${kind.min === 0 && kind.max >= 2 ** 32 - 1 ? '' : ` of ${kind.min === kind.max ? kind.min : kind.max >= 2 ** 32 - 1 ? `${kind.min} or more` : `${kind.min} to ${kind.max}`} values`}, each ${describeKind(kind.of)}`;
    case 'tuple':
      return `[${kind.of.map(describeKind).join(', ')}]`;
    default:
      return kind.expected;
  }
}

function isSignal(v: unknown): v is AbortSignal {
  const s = v as AbortSignal | null;
  return typeof s === 'object' && s !== null && typeof s.aborted === 'boolean' && typeof s.addEventListener === 'function' && typeof s.removeEventListener === 'function';
}

/** Whether `v` is of `kind` (nested options are checked by checkKind, which names the part at fault). */
function shallowOk(kind: OptionKind, v: unknown): boolean {
  switch (kind.type) {
    case 'boolean':
      return typeof v === 'boolean';
    case 'number':
      return typeof v === 'number' && kind.ok(v);
    case 'string':
      return typeof v === 'string' && kind.ok(v);
    case 'function':
      return typeof v === 'function';
    case 'signal':
      return isSignal(v);
    case 'buffer':
      return isGpuBuffer(v);
    case 'instance':
      return typeof v === 'object' && v !== null && kind.ok(v);
    case 'object':
    case 'record':
    case 'data':
      return typeof v === 'object' && v !== null && (kind.type === 'data' || !Array.isArray(v));
    case 'array':
    case 'tuple':
      return Array.isArray(v);
    case 'oneOf':
      return kind.kinds.some((k) => shallowOk(k, v));
  }
}

/** Checks `v` (not undefined) against `kind`; throws ArgumentError naming `path` or the nested part at fault. */
export function checkKind(path: string, v: unknown, kind: OptionKind): void {
  if (!shallowOk(kind, v)) throw new ArgumentError(path, `must be ${describeKind(kind)}, got ${show(v)}`);
  switch (kind.type) {
    case 'object':
      return checkOptions(path, v, kind.table);
    case 'record':
      for (const [key, value] of Object.entries(v as object)) checkKind(`${path}.${key}`, value, kind.of);
      return;
    case 'array': {
      const a = v as unknown[];
      if (a.length < kind.min || a.length > kind.max) throw new ArgumentError(path, `must be ${describeKind(kind)}, got ${show(v)}`);
      for (let i = 0; i < a.length; i++) checkKind(`${path}[${i}]`, a[i], kind.of);
      return;
    }
    case 'tuple': {
      const a = v as unknown[];
      if (a.length !== kind.of.length) throw new ArgumentError(path, `must be ${describeKind(kind)}, got ${show(v)}`);
      kind.of.forEach((k, i) => checkKind(`${path}[${i}]`, a[i], k));
      return;
    }
    case 'oneOf': {
      const k = kind.kinds.find((alternative) => shallowOk(alternative, v))!;
      return checkKind(path, v, k);
    }
    default:
  }
}

/**
 * Checks an options object against its table: an object (not null, not an array), no unknown
 * names, every option given of its kind, every required one given. Options read through the
 * prototype are checked too (what the function will read is what is checked).
 */
export function checkOptions<T>(who: string, options: unknown, table: OptionTable<T>): asserts options is T {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ArgumentError(who, `must be an object of options (${Object.keys(table).join(', ')}), got ${show(options)}`);
  }
  const names = Object.keys(table);
  checkKeys(who, options, names);
  const o = options as Record<string, unknown>;
  const entries = Object.entries(table) as [string, OptionKind][];
  for (const [name, kind] of entries) if (o[name] !== undefined) checkKind(`${who}.${name}`, o[name], kind);
  for (const [name, kind] of entries) if (kind.required && o[name] === undefined) throw new ArgumentError(`${who}.${name}`, `is required: ${describeKind(kind)}`);
}

/** Where a function writes into a buffer of the caller's: `buffer` from element `offset` (default 0). */
export const BUFFER_TARGET: OptionTable<{ buffer: GPUBuffer; offset?: number }> = {
  buffer: kinds.required(kinds.buffer),
  offset: kinds.integer(0, Number.MAX_SAFE_INTEGER, ' (elements)'),
};

/** Every table of the public API, by the function it checks (what the option test walks). */
export const OPTION_TABLES = new Map<string, OptionTable>();

/** Registers `table` under `name` (a function and its argument: "fit options") and returns it. */
export function optionTable<T>(name: string, table: OptionTable<T>): OptionTable<T> {
  if (OPTION_TABLES.has(name)) throw new Error(`option table "${name}" is registered twice`);
  OPTION_TABLES.set(name, table as OptionTable);
  return table;
}
