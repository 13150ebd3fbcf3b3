// Unknown option names are errors: a misspelt key (`activaton`, `validationSplt`) would otherwise
// be ignored in silence and the run would quietly do something else. Every options object of the
// public API is checked here, by its own keys (so `toString` or `__proto__` are never options),
// and the error names the key and the closest valid one.

import { ArgumentError } from './gpu/errors.js';
import { closest } from './spelling.js';

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
