// The one comparison every numeric test uses: element i passes when
// |actual − expected| ≤ atol + rtol·|expected|. Non-finite expected values must match exactly.
// A failure reports the largest difference and the first few mismatches.

export interface Tolerance {
  atol: number;
  rtol: number;
}

export interface Comparison {
  ok: boolean;
  mismatches: number;
  maxAbsDiff: number;
  maxAt: number;
  first: { index: number; actual: number; expected: number }[];
}

export function compare(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance): Comparison {
  if (actual.length !== expected.length) {
    throw new Error(`length differs: actual ${actual.length}, expected ${expected.length}`);
  }
  const result: Comparison = { ok: true, mismatches: 0, maxAbsDiff: 0, maxAt: -1, first: [] };
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const diff = Math.abs(a - e);
    let pass: boolean;
    if (!Number.isFinite(e)) pass = Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e));
    else pass = Number.isFinite(a) && diff <= tol.atol + tol.rtol * Math.abs(e);
    if (Number.isNaN(diff) || diff > result.maxAbsDiff || (!pass && result.maxAt < 0)) {
      result.maxAbsDiff = Number.isNaN(diff) ? Infinity : Math.max(diff, result.maxAbsDiff);
      result.maxAt = i;
    }
    if (!pass) {
      result.ok = false;
      result.mismatches++;
      if (result.first.length < 5) result.first.push({ index: i, actual: a, expected: e });
    }
  }
  return result;
}

/** Throws, with a report naming `what`, unless `actual` matches `expected` within `tol`. */
export function assertClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance): Comparison {
  const r = compare(actual, expected, tol);
  if (!r.ok) {
    const list = r.first.map((m) => `[${m.index}] got ${m.actual}, want ${m.expected}`).join('; ');
    throw new Error(
      `${what}: ${r.mismatches} of ${expected.length} outside atol ${tol.atol} + rtol ${tol.rtol}; ` +
        `largest |diff| ${r.maxAbsDiff} at [${r.maxAt}]; first: ${list}`,
    );
  }
  return r;
}

/** Throws unless `cond`, with `message`: the cases' plain assertion, usable outside Vitest. */
export function check(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/** Runs `fn`, expecting it to reject with an error of class `type` whose message contains each of `parts`. */
export async function expectError(
  fn: () => unknown,
  type: abstract new (...args: never[]) => Error,
  parts: string[],
): Promise<Error> {
  let error: unknown;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  check(error !== undefined, `expected ${type.name} mentioning ${JSON.stringify(parts)}, but nothing was thrown`);
  check(error instanceof type, `expected ${type.name}, got ${(error as Error)?.name}: ${(error as Error)?.message}`);
  for (const p of parts) check((error as Error).message.includes(p), `error "${(error as Error).message}" does not mention "${p}"`);
  return error as Error;
}
