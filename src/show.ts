// A value as an error message quotes it: short whatever it is — a 2 MB string, an array of a
// million, an object — so no message grows with what the caller passed.

/** A value as an error message shows it: short (a string at most `max` characters), whatever it is. */
export function show(v: unknown, max = 40): string {
  if (typeof v === 'string') return JSON.stringify(v.length > max ? `${v.slice(0, max)}…` : v);
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return v.length <= 8 && v.every((e) => e === null || typeof e !== 'object') ? `[${v.map((e) => show(e)).join(', ')}]` : `an array of ${v.length}`;
  if (v === null) return 'null';
  if (typeof v === 'object') return ArrayBuffer.isView(v) ? `a ${v.constructor.name} of ${(v as unknown as ArrayLike<unknown>).length}` : 'an object';
  if (typeof v === 'bigint') return `${v}n`;
  return String(v);
}
