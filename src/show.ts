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

/** A cost as the library's messages show it: six significant digits, a power of ten past a million (90677.5, 1.67883e14). */
export function costText(cost: number): string {
  const v = Number(cost.toPrecision(6));
  return Math.abs(v) >= 1e6 ? v.toExponential(5).replace(/\.?0+e/, 'e').replace('e+', 'e') : String(v);
}
