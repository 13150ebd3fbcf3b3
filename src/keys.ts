// Unknown option names are errors: a misspelt key (`activaton`, `validationSplt`) would otherwise
// be ignored in silence and the run would quietly do something else. Every options object of the
// public API is checked here, by its own keys (so `toString` or `__proto__` are never options),
// and the error names the key and the closest valid one.

import { ArgumentError } from './gpu/errors.js';

/** Edit distance between two short strings (insertions, deletions, substitutions, adjacent swaps). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The valid key closest to `key`, if one is close enough to be what was meant. */
export function closest(key: string, valid: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const v of valid) {
    const dist = v.toLowerCase() === key.toLowerCase() ? 0.5 : distance(key, v);
    if (dist < bestDistance) [best, bestDistance] = [v, dist];
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/**
 * Throws ArgumentError for the first own key of `options` that is not in `valid`, naming it as
 * `${who}.${key}` with the closest valid key (or the list of them). Anything but a plain object
 * is left to the caller's own checks.
 */
export function checkKeys(who: string, options: unknown, valid: readonly string[]): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) return;
  for (const key of Object.keys(options)) {
    if (valid.includes(key)) continue;
    const near = closest(key, valid);
    const hint = near ? `did you mean '${near}'?` : `the options are ${valid.map((v) => `'${v}'`).join(', ')}`;
    throw new ArgumentError(`${who}.${key}`, `unknown option; ${hint}`);
  }
}
